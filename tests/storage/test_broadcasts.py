"""Organizer broadcasts: audiences, preview and confirmation, progress, acknowledgements."""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.broadcasts import (
    Audience,
    AudienceKind,
    Broadcast,
    Progress,
    State,
    UnknownAudience,
)
from bot.domain.invites import Redemption
from bot.reply import Reply
from bot.storage.broadcasts import BroadcastStore
from bot.storage.database import Database
from bot.storage.outbox import Kind, OutboxStore, Outcome, Outgoing
from bot.storage.outbox import State as Delivery
from bot.storage.people import PeopleStore
from bot.storage.recipients import Recipient
from tests.support.stores import imported, register
from tests.support.summit_files import to_csv

VENUE = ZoneInfo("Asia/Riyadh")
NOW = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)
T0 = NOW.timestamp()
ORGANIZER, OTHER_ORGANIZER = 900, 901

SESSIONS = [
    ["id", "title", "start", "end", "room", "track", "kind", "audience", "status"],
    ["open", "Opening", "2030-06-10T09:00", "2030-06-10T10:00", "Hall", "", "plenary", "", ""],
    ["council", "Council", "2030-06-10T10:00", "2030-06-10T11:00", "Hall B", "", "plenary",
     "invited", ""],
    ["cyber1", "Cyber I", "2030-06-10T11:00", "2030-06-10T12:00", "Room A", "Cyber", "panel",
     "", ""],
    ["cyber2", "Cyber II", "2030-06-11T11:00", "2030-06-11T12:00", "Room A", "cyber", "panel",
     "", ""],
    ["trade", "Trade", "2030-06-11T14:00", "2030-06-11T15:00", "Room B", "Trade", "panel",
     "", ""],
]  # fmt: skip
# a, b (Xandria) and c (Yoland) are registered; d (Yoland) is not yet; e (Zembla) blocked
# the bot.
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
    ["a", "cyber1"],
    ["a", "cyber2"],
    ["b", "cyber2"],
    ["d", "cyber1"],
    ["e", "cyber1"],
    ["c", "council"],
    ["e", "trade"],
]
USERS = {"a": 101, "b": 102, "c": 103, "d": 104, "e": 105}


class Summit:
    def __init__(self, database: Database) -> None:
        self.db = database
        self.store = BroadcastStore(database)
        self.people = PeopleStore(database)
        self.outbox = OutboxStore(database)
        self.codes: dict[str, str | None] = {}

    async def register(self, delegate_id: str) -> None:
        code = self.codes[delegate_id]
        assert code is not None
        linked = await self.people.redeem(code, USERS[delegate_id], None, NOW)
        assert linked.outcome is Redemption.LINKED

    async def who(self, audience: Audience) -> list[str]:
        return sorted(r.delegate_id for r in await self.store.recipients(audience))

    async def confirm(self, broadcast_id: int, now: float, organizer: int = ORGANIZER):
        return await self.store.confirm(broadcast_id, organizer, render, 900, 55, now)


def render(broadcast: Broadcast, recipients: Sequence[Recipient]) -> list[Outgoing]:
    kind = Kind.URGENT if broadcast.urgent else Kind.BROADCAST
    return [
        Outgoing(r.user_id, kind, Reply(broadcast.text), r.delegate_id, broadcast.id)
        for r in recipients
    ]


async def summit(tmp_path) -> Summit:
    files = {"sessions.csv": SESSIONS, "delegates.csv": DELEGATES, "attendance.csv": ATTENDANCE}
    database = await imported(
        tmp_path / "summit.db", {name: to_csv(rows) for name, rows in files.items()}, VENUE
    )
    world = Summit(database)
    world.codes = await register(database, [(USERS[d], d, None) for d in "abce"], NOW)
    await world.outbox.mark_unreachable(USERS["e"], "blocked")
    return world


async def test_recipients_of_each_audience(tmp_path):
    world = await summit(tmp_path)
    try:
        assert await world.who(Audience(AudienceKind.ALL)) == ["a", "b", "c"]
        # Delegation names match without regard to case; d is not registered.
        assert await world.who(Audience(AudienceKind.DELEGATION, "xandria")) == ["a", "b"]
        assert await world.who(Audience(AudienceKind.DELEGATION, "Yoland")) == ["c"]
        assert await world.who(Audience(AudienceKind.DELEGATION, "Zembla")) == []
        # A session: its attendees, or everyone for an open plenary.
        assert await world.who(Audience(AudienceKind.SESSION, "cyber1")) == ["a"]
        assert await world.who(Audience(AudienceKind.SESSION, "open")) == ["a", "b", "c"]
        assert await world.who(Audience(AudienceKind.SESSION, "council")) == ["c"]
        assert await world.who(Audience(AudienceKind.SESSION, "trade")) == []
        # A track: every session in it, whatever the case; a attends two but counts once.
        assert await world.who(Audience(AudienceKind.TRACK, "CYBER")) == ["a", "b"]
        for unknown in [
            Audience(AudienceKind.DELEGATION, "Atlantis"),
            Audience(AudienceKind.SESSION, "CYBER1"),
            Audience(AudienceKind.TRACK, "Space"),
        ]:
            with pytest.raises(UnknownAudience):
                await world.store.recipients(unknown)
    finally:
        await world.db.close()


async def test_preview_confirm_and_cancel_belong_to_their_organizer(tmp_path):
    world = await summit(tmp_path)
    try:
        audience = Audience(AudienceKind.DELEGATION, "Yoland")
        first = await world.store.create(ORGANIZER, audience, "Bus at 8", False, T0)
        assert await world.store.get(first) == Broadcast(
            first, ORGANIZER, "delegation:Yoland", "Bus at 8", False, State.PREVIEW, 0, None, None
        )
        assert await world.store.get(first + 100) is None
        # Dan registers after the preview: the confirmation reaches him too.
        await world.register("d")
        assert await world.confirm(first, T0 + 10, organizer=OTHER_ORGANIZER) is None
        sent = await world.confirm(first, T0 + 20)
        assert sent == Broadcast(
            first, ORGANIZER, "delegation:Yoland", "Bus at 8", False, State.SENDING, 2, 900, 55
        )
        rows = await world.db.fetchall(
            "SELECT chat_id, delegate_id, kind, text FROM outbox WHERE broadcast_id = ?"
            " ORDER BY chat_id",
            (first,),
        )
        assert [tuple(row) for row in rows] == [
            (103, "c", "broadcast", "Bus at 8"),
            (104, "d", "broadcast", "Bus at 8"),
        ]
        assert await world.store.confirmed_at(first) == T0 + 20
        # Confirmed once: neither a second confirmation nor a cancellation applies.
        assert await world.confirm(first, T0 + 30) is None
        assert await world.store.cancel(first, ORGANIZER) is False

        second = await world.store.create(ORGANIZER, Audience(AudienceKind.ALL), "x", True, T0)
        assert await world.store.confirmed_at(second) is None
        assert await world.store.cancel(second, OTHER_ORGANIZER) is False
        assert await world.store.cancel(second, ORGANIZER) is True
        assert await world.store.cancel(second, ORGANIZER) is False
        cancelled = await world.store.get(second)
        assert cancelled is not None and cancelled.state is State.CANCELLED
        assert await world.confirm(second, T0 + 40) is None
        assert (
            await world.db.fetchvalue(
                "SELECT COUNT(*) FROM outbox WHERE broadcast_id = ?", (second,)
            )
            == 0
        )
    finally:
        await world.db.close()


async def test_an_audience_gone_by_confirmation_reaches_nobody(tmp_path):
    world = await summit(tmp_path)
    try:
        audience = Audience(AudienceKind.DELEGATION, "Atlantis")
        broadcast_id = await world.store.create(ORGANIZER, audience, "Hello", False, T0)
        sent = await world.confirm(broadcast_id, T0 + 1)
        assert sent is not None and (sent.state, sent.recipients) == (State.SENDING, 0)
        assert await world.store.progress(sent) == Progress(0, 0, 0, 0, 0, 0)
    finally:
        await world.db.close()


async def test_progress_counts_deliveries_and_acknowledgements(tmp_path):
    world = await summit(tmp_path)
    try:
        everyone = Audience(AudienceKind.ALL)
        urgent = await world.store.create(ORGANIZER, everyone, "Evacuate", True, T0)
        broadcast = await world.confirm(urgent, T0 + 1)
        assert broadcast is not None and broadcast.recipients == 3
        assert await world.store.progress(broadcast) == Progress(3, 0, 3, 0, 0, 0)

        claimed = await world.outbox.claim(2, T0 + 2)  # a's and b's: being sent
        assert [q.chat_id for q in claimed] == [101, 102]
        await world.outbox.record([Outcome(claimed[0].id, Delivery.SENT, T0 + 3, 7)])
        # b's is still being sent, c's waits: both count as waiting.
        assert await world.store.progress(broadcast) == Progress(3, 1, 2, 0, 0, 0)
        await world.outbox.record([Outcome(claimed[1].id, Delivery.UNREACHABLE, T0 + 4)])
        [last] = await world.outbox.claim(5, T0 + 5)
        await world.outbox.record([Outcome(last.id, Delivery.FAILED, T0 + 6, error="bad")])
        progress = await world.store.progress(broadcast)
        assert progress == Progress(3, 1, 0, 1, 1, 0) and progress.finished

        assert await world.store.unacknowledged(urgent) == [
            ("Ann", "Xandria", "sent"),
            ("Bob", "Xandria", "unreachable"),
            ("Cem", "Yoland", "failed"),
        ]
        assert await world.store.acknowledge(urgent, "a", T0 + 7) is True
        assert await world.store.acknowledge(urgent, "a", T0 + 8) is True  # counted once
        # Dan and Eve were not sent this notice; nobody was sent broadcast 99.
        assert await world.store.acknowledge(urgent, "d", T0 + 9) is False
        assert await world.store.acknowledge(urgent, "e", T0 + 9) is False
        assert await world.store.acknowledge(99, "a", T0 + 9) is False
        assert (await world.store.progress(broadcast)).acknowledged == 1
        # The first acknowledgement is the one kept.
        assert await world.db.fetchvalue("SELECT at FROM acknowledgement") == T0 + 7
        assert await world.store.unacknowledged(urgent) == [
            ("Bob", "Xandria", "unreachable"),
            ("Cem", "Yoland", "failed"),
        ]

        # A broadcast that is not urgent asks for no acknowledgement.
        plain = await world.store.create(ORGANIZER, everyone, "Lunch", False, T0 + 10)
        await world.confirm(plain, T0 + 11)
        assert await world.store.acknowledge(plain, "a", T0 + 12) is False
        assert await world.db.fetchvalue("SELECT COUNT(*) FROM acknowledgement") == 1
    finally:
        await world.db.close()


async def test_active_recent_latest_urgent_and_finish(tmp_path):
    world = await summit(tmp_path)
    try:
        everyone = Audience(AudienceKind.ALL)
        assert await world.store.active() == []
        assert await world.store.recent() == []
        assert await world.store.latest_urgent() is None
        first = await world.store.create(ORGANIZER, everyone, "one", True, T0)
        second = await world.store.create(ORGANIZER, everyone, "two", False, T0)
        third = await world.store.create(ORGANIZER, everyone, "three", True, T0)
        await world.store.create(ORGANIZER, everyone, "preview only", True, T0)
        cancelled = await world.store.create(ORGANIZER, everyone, "cancelled", True, T0)
        await world.store.cancel(cancelled, ORGANIZER)
        assert await world.store.recent() == []
        # Confirmed in another order than created: the lists go by confirmation.
        await world.confirm(third, T0 + 5)
        await world.confirm(second, T0 + 10)
        await world.confirm(first, T0 + 20)

        assert sorted(b.id for b in await world.store.active()) == [first, second, third]
        assert [b.id for b in await world.store.recent()] == [first, second, third]
        assert [b.id for b in await world.store.recent(limit=2)] == [first, second]
        latest = await world.store.latest_urgent()
        assert latest is not None and latest.id == first

        await world.store.finish(first, T0 + 30)
        assert sorted(b.id for b in await world.store.active()) == [second, third]
        # Finished broadcasts stay in the list and remain the latest urgent one.
        recent = await world.store.recent()
        assert [(b.id, b.state) for b in recent] == [
            (first, State.DONE),
            (second, State.SENDING),
            (third, State.SENDING),
        ]
        latest = await world.store.latest_urgent()
        assert latest is not None and (latest.id, latest.state) == (first, State.DONE)
    finally:
        await world.db.close()
