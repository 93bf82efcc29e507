"""Who a pushed message goes to: registered, reachable delegates with their languages."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.storage.database import Database
from bot.storage.outbox import OutboxStore
from bot.storage.people import PeopleStore
from bot.storage.recipients import Recipient, holders, registered
from tests.support.stores import imported, register
from tests.support.summit_files import to_csv

VENUE = ZoneInfo("Asia/Riyadh")
NOW = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)

SESSIONS = [
    ["id", "title", "start", "end", "room", "kind", "audience", "status"],
    ["open", "Opening", "2030-06-10T09:00", "2030-06-10T10:00", "Hall", "plenary", "", ""],
    ["council", "Council", "2030-06-10T10:00", "2030-06-10T11:00", "Hall B", "plenary",
     "invited", ""],
    ["cyber", "Cyber", "2030-06-10T11:00", "2030-06-10T12:00", "Room A", "panel", "", ""],
    ["empty", "Empty", "2030-06-10T13:00", "2030-06-10T14:00", "Room A", "panel", "", ""],
]  # fmt: skip
# a: registered, chose English; b: registered, file says French; c: registered (Arabic
# Telegram); d: never registered; e: registered but blocked the bot.
DELEGATES = [
    ["id", "name", "delegation", "language"],
    ["a", "Ann", "Xandria", ""],
    ["b", "Bob", "Xandria", "fr"],
    ["c", "Cem", "Yoland", ""],
    ["d", "Dan", "Yoland", ""],
    ["e", "Eve", "Zembla", ""],
]
ATTENDANCE = [
    ["delegate_id", "session_id"],
    ["a", "cyber"],
    ["b", "cyber"],
    ["d", "cyber"],
    ["e", "cyber"],
    ["c", "council"],
    ["d", "council"],
]

ANN = Recipient(101, "a", "en", None, None)
BOB = Recipient(102, "b", None, "fr", None)
CEM = Recipient(103, "c", None, None, "ar")


async def summit(tmp_path) -> Database:
    files = {"sessions.csv": SESSIONS, "delegates.csv": DELEGATES, "attendance.csv": ATTENDANCE}
    database = await imported(
        tmp_path / "summit.db", {name: to_csv(rows) for name, rows in files.items()}, VENUE
    )
    accounts = [(101, "a", None), (102, "b", None), (103, "c", "ar"), (105, "e", None)]
    await register(database, accounts, NOW)
    await PeopleStore(database).set_language(101, "en")
    await OutboxStore(database).mark_unreachable(105, "Forbidden: bot was blocked by the user")
    return database


def by_user(recipients: list[Recipient]) -> list[Recipient]:
    return sorted(recipients, key=lambda r: r.user_id)


async def test_registered_gives_only_linked_reachable_accounts_with_their_languages(tmp_path):
    database = await summit(tmp_path)
    try:
        found = await registered(database, ["a", "b", "c", "d", "e", "nobody"])
        # d never registered, e blocked the bot, "nobody" is no delegate.
        assert found == {"a": ANN, "b": BOB, "c": CEM}
        assert await registered(database, []) == {}
        assert await registered(database, ["c"]) == {"c": CEM}
    finally:
        await database.close()


async def test_registered_answers_more_ids_than_sqlite_binds_at_once(tmp_path):
    database = await summit(tmp_path)
    try:
        # 1,200 ids span three chunks of 500; the real ones sit in the second and third.
        ids = [f"ghost{i}" for i in range(1200)]
        ids[700], ids[1100], ids[1199] = "a", "b", "e"
        assert await registered(database, ids) == {"a": ANN, "b": BOB}
    finally:
        await database.close()


async def test_a_reissued_or_unblocked_account_changes_who_is_registered(tmp_path):
    database = await summit(tmp_path)
    try:
        people = PeopleStore(database)
        await people.reissue("a", NOW)  # a's old account no longer speaks for a
        await people.mark_reachable(105)  # e wrote to the bot again
        found = await registered(database, ["a", "b", "c", "d", "e"])
        assert found == {"b": BOB, "c": CEM, "e": Recipient(105, "e", None, None, None)}
    finally:
        await database.close()


async def test_holders_are_the_registered_attendees_or_everyone_for_an_open_plenary(tmp_path):
    database = await summit(tmp_path)
    try:
        found = await holders(database, ["open", "council", "cyber", "empty", "unknown"])
        assert set(found) == {"open", "council", "cyber", "empty", "unknown"}
        # The open plenary is everyone's (registered and reachable), attendance or not.
        assert by_user(found["open"]) == [ANN, BOB, CEM]
        # An invited plenary is only its attendees' (d is not registered).
        assert found["council"] == [CEM]
        # Attendees only: d is unregistered, e unreachable, c does not attend.
        assert by_user(found["cyber"]) == [ANN, BOB]
        assert found["empty"] == []
        assert found["unknown"] == []
        assert await holders(database, []) == {}
    finally:
        await database.close()


async def test_holders_of_attended_sessions_alone_do_not_include_everyone(tmp_path):
    database = await summit(tmp_path)
    try:
        found = await holders(database, ["cyber"])
        assert list(found) == ["cyber"]
        assert by_user(found["cyber"]) == [ANN, BOB]
    finally:
        await database.close()


def test_a_recipients_language_is_their_choice_then_the_file_then_telegram():
    assert ANN.language("ar") == "en"
    assert BOB.language("en") == "fr"
    assert CEM.language("en") == "ar"
    assert Recipient(1, "x", None, None, None).language("fr") == "fr"
    assert Recipient(1, "x", "xx", "fr", "ar").language("en") == "fr"
