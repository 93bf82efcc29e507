"""Delegations and who speaks for them: heads answer requests, organizers approve."""

from datetime import UTC, datetime

from bot.domain.bilaterals import DelegationRef
from bot.domain.models import Delegate, Role
from bot.storage import delegations
from bot.storage.database import Database
from bot.storage.outbox import OutboxStore
from bot.storage.people import PeopleStore
from bot.storage.recipients import Recipient
from tests.support import bilateral_summit
from tests.support.stores import imported, register
from tests.support.summit_files import VENUE, to_csv

NOW = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)

# The bilateral summit (heads hx, hy, hz) with a lower-case delegation whose head is hb,
# two organizers in a delegation without a head, and a delegation without a head.
DELEGATES = [
    *bilateral_summit.DELEGATES,
    ["hb", "Bea Bolivar", "bolivar", "", "head"],
    ["olga", "Olga Organizer", "Secretariat", "fr", "organizer"],
    ["oscar", "Oscar Organizer", "Secretariat", "", "organizer"],
    ["w1", "Walt One", "Wessex", "", "delegate"],
]

# user id -> (delegate, Telegram's language); hz and w1 never register.
ACCOUNTS = {
    101: ("hx", None),
    102: ("hy", None),
    103: ("hb", None),
    104: ("x1", None),
    105: ("y1", "de"),
    201: ("olga", "ar"),
    202: ("oscar", "de"),
}


async def summit(tmp_path) -> Database:
    files = {**bilateral_summit.files(), "delegates.csv": to_csv(DELEGATES)}
    database = await imported(tmp_path / "summit.db", files, VENUE)
    accounts = [(user, delegate, language) for user, (delegate, language) in ACCOUNTS.items()]
    await register(database, accounts, NOW)
    people = PeopleStore(database)
    # hy's head blocked the bot; so did oscar, an organizer.
    await OutboxStore(database).mark_unreachable(102, "blocked")
    await OutboxStore(database).mark_unreachable(202, "blocked")
    await people.set_language(300, "en")  # someone who never registered
    return database


async def ids(database: Database, *delegate_ids: str) -> list[int]:
    found = []
    for delegate_id in delegate_ids:
        ref = await delegations.delegation_of(database, delegate_id)
        assert ref is not None
        found.append(ref.id)
    return found


async def test_delegation_of_a_delegate(tmp_path):
    database = await summit(tmp_path)
    try:
        xandria = await delegations.delegation_of(database, "x2")
        assert xandria is not None and xandria.name == "Xandria"
        assert await delegations.delegation_of(database, "hx") == xandria
        assert await delegations.delegation_of(database, "hy") != xandria
        assert await delegations.delegation_of(database, "nobody") is None
    finally:
        await database.close()


async def test_delegations_that_can_be_asked_are_those_with_a_head_in_name_order(tmp_path):
    database = await summit(tmp_path)
    try:
        found = await delegations.delegations(database)
        # Not the Secretariat nor Wessex (no head); hz's Zembla has one, registered or not.
        # Names sort without regard to case.
        assert [ref.name for ref in found] == ["bolivar", "Xandria", "Yoland", "Zembla"]
        assert [ref.id for ref in found] == await ids(database, "hb", "hx", "hy", "hz")
        assert all(isinstance(ref, DelegationRef) for ref in found)
    finally:
        await database.close()


async def test_members_of_a_delegation_by_name(tmp_path):
    database = await summit(tmp_path)
    try:
        [xandria] = await ids(database, "hx")
        assert await delegations.members(database, xandria) == [
            Delegate("hx", "Hana Xu", "Xandria", "en", Role.HEAD),
            Delegate("x3", "Xander Three", "Xandria", None, Role.DELEGATE),
            Delegate("x1", "Xavier One", "Xandria", None, Role.DELEGATE),
            Delegate("x2", "Xenia Two", "Xandria", None, Role.DELEGATE),
        ]
        assert await delegations.members(database, 9999) == []
    finally:
        await database.close()


async def test_heads_are_the_registered_reachable_heads_of_those_delegations(tmp_path):
    database = await summit(tmp_path)
    try:
        xandria, yoland, zembla, bolivar = await ids(database, "hx", "hy", "hz", "hb")
        everyone = await delegations.heads(database, [xandria, yoland, zembla, bolivar])
        # hy blocked the bot, hz never registered; x1 is registered but no head.
        assert everyone == [
            Recipient(103, "hb", None, None, None),
            Recipient(101, "hx", None, "en", None),
        ]
        assert await delegations.heads(database, [xandria]) == [everyone[1]]
        assert await delegations.heads(database, [yoland, zembla]) == []
        assert await delegations.heads(database, []) == []
    finally:
        await database.close()


async def test_recipients_of_delegates_are_the_registered_reachable_ones(tmp_path):
    database = await summit(tmp_path)
    try:
        found = await delegations.recipients_of(database, ["y1", "x1", "hy", "hz", "ghost"])
        assert found == [
            Recipient(104, "x1", None, None, None),
            Recipient(105, "y1", None, "ar", "de"),
        ]
        assert await delegations.recipients_of(database, []) == []
    finally:
        await database.close()


async def test_organizers_are_reachable_organizer_delegates_and_the_configured_ids(tmp_path):
    database = await summit(tmp_path)
    try:
        # Olga (registered organizer): her file's language before Telegram's. Oscar
        # blocked the bot. No configured ids: only Olga.
        assert await delegations.organizers(database, []) == [(201, "fr")]
        # Configured: 300 (known, chose English), 555 (never seen), 202 (Oscar, blocked,
        # but configured: his Telegram language), 201 (Olga, not twice). By user id.
        assert await delegations.organizers(database, [555, 300, 202, 201]) == [
            (201, "fr"),
            (202, "de"),
            (300, "en"),
            (555, None),
        ]
        # A choice made in the bot comes before the delegates file.
        await PeopleStore(database).set_language(201, "en")
        assert await delegations.organizers(database, []) == [(201, "en")]
    finally:
        await database.close()
