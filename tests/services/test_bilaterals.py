"""The bilateral service on a real SQLite file: holds, races, caps, expiry, privacy."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.config import BilateralSettings, SummitSettings
from bot.domain.bilaterals import Booking, BookingState, DelegationRef, Slot
from bot.i18n import Catalogs
from bot.services.bilaterals import BilateralService, Lost, Refusal
from bot.services.imports import SourceFile, import_files
from bot.services.notices import NoticeSettings
from bot.storage.database import Database
from bot.storage.people import PeopleStore
from bot.storage.programme import ProgrammeStore
from tests.support import bilateral_summit
from tests.support.rooms import seed_rooms
from tests.support.summit_files import DAY1, DAY2, VENUE

NOW = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)


def local(day, hhmm):
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), VENUE)


class World:
    def __init__(self, database: Database, service: BilateralService) -> None:
        self.db = database
        self.service = service
        self.people = PeopleStore(database)

    async def head(self, delegate_id: str):
        delegate = await self.people.delegate(delegate_id)
        own = await self.service.head_of(delegate)
        assert delegate is not None and own is not None
        return delegate, own

    async def ask(self, asker: str, asked: str, people: list[str], slot: Slot | None = None):
        head, own = await self.head(asker)
        _, other = await self.head(asked)
        if slot is None:
            slots = await self.service.slots_for_request(own.id, other.id, people, NOW)
            slot = slots[0]
        return await self.service.request(head, own, other, people, "Trade", slot, NOW)

    async def outbox(self) -> list[tuple[int, str]]:
        rows = await self.db.fetchall("SELECT chat_id, text FROM outbox ORDER BY id")
        return [(row[0], row[1]) for row in rows]


async def make_world(tmp_path: Path, **settings: object) -> World:
    database = await Database.open(tmp_path / "summit.db")
    sources = [SourceFile(name, data) for name, data in bilateral_summit.files().items()]
    report = await import_files(database, sources, VENUE)
    assert report.ok, report.errors
    await database.close()
    await seed_rooms(tmp_path / "summit.db", bilateral_summit.ROOMS)
    database = await Database.open(tmp_path / "summit.db")
    # Register every head (user id = 100 + row) so that notices have somewhere to go.
    async with database.transaction() as tx:
        for number, delegate in enumerate(["hx", "hy", "hz", "x1", "y1"], start=100):
            await tx.execute(
                "INSERT INTO telegram_user (user_id, delegate_id) VALUES (?, ?)",
                (number, delegate),
            )
    values = {
        "slot_minutes": 30,
        "turnaround_minutes": 15,
        "per_delegation_per_day": 2,
        "request_expiry_hours": 12.0,
        "hours": (time(8, 0), time(12, 0)),
    }
    values.update(settings)
    summit = SummitSettings(timezone=VENUE)
    catalogs = Catalogs.load(VENUE, "en")
    service = BilateralService(
        database,
        ProgrammeStore(database),
        BilateralSettings(**values),  # type: ignore[arg-type]
        summit,
        catalogs,
        NoticeSettings(catalogs, discreet=True),
    )
    return World(database, service)


@pytest.fixture
async def world(tmp_path):
    made = await make_world(tmp_path)
    yield made
    await made.db.close()


async def test_a_request_holds_its_room_and_people(world):
    booking = await world.ask("hx", "hy", ["hx", "x2"])
    assert isinstance(booking, Booking)
    # After the 08:00 opening plenary, in the small room (4 seats for 2 + 2).
    assert booking.start == local(DAY1, "09:00")
    assert booking.room == "Salon 1"
    assert booking.state is BookingState.PENDING
    # The Yoland heads are told, discreetly: time and room, no delegation, no topic.
    told = await world.outbox()
    assert [chat for chat, _ in told] == [101]
    assert "Xandria" not in told[0][1] and "Trade" not in told[0][1]
    # The same people cannot be offered 09:00 again; Salon 1 keeps its turnaround.
    _head, own = await world.head("hx")
    _, zembla = await world.head("hz")
    slots = await world.service.slots_for_request(own.id, zembla.id, ["hx"], NOW)
    assert local(DAY1, "09:00").timestamp() not in [s.start for s in slots]
    others = await world.service.slots_for_request(zembla.id, own.id, ["hz"], NOW)
    first = others[0]
    assert (first.start, first.room) == (int(local(DAY1, "09:00").timestamp()), "Salon 2")


async def test_accept_books_an_invited_session_for_both_sides(world):
    booking = await world.ask("hx", "hy", ["hx", "x2"])
    head, own = await world.head("hy")
    accepted = await world.service.accept(head, own, booking.id, ["y1"], NOW)
    assert isinstance(accepted, Booking)
    assert accepted.state is BookingState.CONFIRMED
    assert accepted.session_id is not None
    session = await ProgrammeStore(world.db).get(accepted.session_id)
    assert session is not None and session.private and session.kind.value == "bilateral"
    assert session.room == "Salon 1" and session.start == local(DAY1, "09:00")
    assert session.titles["fr"].startswith("Réunion bilatérale") or session.titles["fr"]
    attendees = {
        row[0]
        for row in await world.db.fetchall(
            "SELECT delegate_id FROM attendance WHERE session_id = ?", (session.id,)
        )
    }
    assert attendees == {"hx", "x2", "y1"}
    # A second answer finds nothing to answer.
    assert await world.service.accept(head, own, booking.id, ["y1"], NOW) is Refusal.MISSING


async def test_a_third_delegation_cannot_see_or_touch_it(world):
    booking = await world.ask("hx", "hy", ["hx"])
    head, zembla = await world.head("hz")
    assert await world.service.visible(booking.id, zembla.id, NOW) is None
    assert await world.service.accept(head, zembla, booking.id, ["z1"], NOW) is Refusal.MISSING
    assert await world.service.decline(head, zembla, booking.id, "", NOW) is Refusal.MISSING
    assert await world.service.cancel(head, zembla, booking.id, NOW) is Refusal.MISSING
    assert await world.service.of_delegation(zembla.id, NOW) == []
    # A missing request reads the same.
    assert await world.service.accept(head, zembla, 9999, ["z1"], NOW) is Refusal.MISSING


async def test_exactly_one_wins_the_last_slot(tmp_path):
    # One room, one slot a day, one day: the last slot.
    world = await make_world(tmp_path, hours=(time(9, 0), time(9, 30)))
    try:
        head_x, xandria = await world.head("hx")
        head_z, zembla = await world.head("hz")
        _, yoland = await world.head("hy")
        slot = (await world.service.slots_for_request(xandria.id, yoland.id, ["hx"], NOW))[0]
        results = await asyncio.gather(
            world.service.request(head_x, xandria, yoland, ["hx"], "", slot, NOW),
            world.service.request(head_z, zembla, yoland, ["hz"], "", slot, NOW),
        )
        winners = [r for r in results if isinstance(r, Booking)]
        losers = [r for r in results if isinstance(r, Lost)]
        assert len(winners) == 1 and len(losers) == 1
        # The loser is offered what still works: Salon 2 at the same time comes first.
        assert (losers[0].slots[0].start, losers[0].slots[0].room) == (slot.start, "Salon 2")
        assert all((s.start, s.room) != (slot.start, slot.room) for s in losers[0].slots)
    finally:
        await world.db.close()


async def test_daily_cap_counts_pending_requests_of_either_side(world):
    await world.ask("hx", "hy", ["hx"])
    await world.ask("hx", "hz", ["x2"])
    _head, xandria = await world.head("hx")
    _, yoland = await world.head("hy")
    slots = await world.service.slots_for_request(xandria.id, yoland.id, ["x3"], NOW)
    # Xandria holds two on DAY1: its next slots are on DAY2.
    assert slots and all(datetime.fromtimestamp(s.start, VENUE).date() == DAY2 for s in slots)


async def test_expiry_frees_the_slot_and_tells_both_sides(world):
    booking = await world.ask("hx", "hy", ["hx"])
    _head, xandria = await world.head("hx")
    _, yoland = await world.head("hy")
    later = NOW + timedelta(hours=12, seconds=1)
    slots = await world.service.slots_for_request(xandria.id, yoland.id, ["hx"], later)
    assert slots[0].start == int(booking.start.timestamp())
    assert slots[0].room == booking.room
    before = len(await world.outbox())
    assert await world.service.sweep(later) == 1
    assert await world.service.sweep(later) == 0
    state = await world.service.visible(booking.id, xandria.id, later)
    assert state is not None and state.state is BookingState.EXPIRED
    told = (await world.outbox())[before:]
    assert sorted(chat for chat, _ in told) == [100, 101]
    assert "expired" in next(text for chat, text in told if chat == 100)


async def test_capacity_refuses_too_many_on_accept(world):
    booking = await world.ask("hx", "hy", ["hx", "x2"])  # Salon 1: 4 seats
    head, yoland = await world.head("hy")
    refused = await world.service.accept(head, yoland, booking.id, ["hy", "y1", "y2"], NOW)
    assert refused is Refusal.TOO_MANY
    assert isinstance(await world.service.accept(head, yoland, booking.id, ["y1"], NOW), Booking)


async def test_busy_participant_cannot_be_chosen(world):
    _head, xandria = await world.head("hx")
    _, yoland = await world.head("hy")
    slots = await world.service.slots_for_request(xandria.id, yoland.id, ["x1"], NOW)
    # x1 is at the cyber panel 09:00-10:00.
    assert slots[0].start == int(local(DAY1, "10:00").timestamp())


async def test_approval_mode_waits_for_an_organizer(tmp_path):
    world = await make_world(tmp_path, approval="organizers")
    try:
        booking = await world.ask("hx", "hy", ["hx"])
        head, yoland = await world.head("hy")
        accepted = await world.service.accept(head, yoland, booking.id, ["hy"], NOW)
        assert isinstance(accepted, Booking) and accepted.state is BookingState.APPROVAL
        assert accepted.session_id is None
        confirmed = await world.service.decide("telegram:900", booking.id, True, NOW)
        assert isinstance(confirmed, Booking) and confirmed.state is BookingState.CONFIRMED
        assert confirmed.session_id is not None
        assert await world.service.decide("telegram:900", booking.id, True, NOW) is (
            Refusal.MISSING
        )
    finally:
        await world.db.close()


async def test_propose_another_time_declines_the_first_and_asks_back(world):
    booking = await world.ask("hx", "hy", ["hx"])
    head, yoland = await world.head("hy")
    slots = await world.service.slots_for_proposal(booking, ["hy"], NOW)
    other = next(s for s in slots if s.start != int(booking.start.timestamp()))
    proposal = await world.service.request(
        head,
        yoland,
        DelegationRef(booking.requester_id, booking.requester),
        ["hy"],
        booking.topic,
        other,
        NOW,
        replaces=booking,
        counterpart_people=["hx"],
    )
    assert isinstance(proposal, Booking)
    assert proposal.requester == "Yoland" and proposal.other == "Xandria"
    assert {p.delegate_id for p in proposal.participants} == {"hx", "hy"}
    head_x, xandria = await world.head("hx")
    old = await world.service.visible(booking.id, xandria.id, NOW)
    assert old is not None and old.state is BookingState.DECLINED
    accepted = await world.service.accept(head_x, xandria, proposal.id, ["hx"], NOW)
    assert isinstance(accepted, Booking) and accepted.state is BookingState.CONFIRMED


async def test_cancel_of_a_meeting_cancels_its_session_and_tells_participants(world):
    booking = await world.ask("hx", "hy", ["hx", "x2"])
    head_y, yoland = await world.head("hy")
    accepted = await world.service.accept(head_y, yoland, booking.id, ["y1"], NOW)
    assert isinstance(accepted, Booking)
    head_x, xandria = await world.head("hx")
    before = len(await world.outbox())
    cancelled = await world.service.cancel(head_x, xandria, booking.id, NOW)
    assert isinstance(cancelled, Booking) and cancelled.state is BookingState.CANCELLED
    session = await ProgrammeStore(world.db).get(accepted.session_id or "")
    assert session is not None and session.cancelled
    # Yoland's head is told; every registered participant (hx, y1) gets the change notice
    # of the session's cancellation, as for any cancelled session.
    told = sorted(chat for chat, _ in (await world.outbox())[before:])
    assert told == [100, 101, 104]


async def test_an_organizer_cancelling_the_session_cancels_the_booking(world):
    booking = await world.ask("hx", "hy", ["hx"])
    head, yoland = await world.head("hy")
    accepted = await world.service.accept(head, yoland, booking.id, ["hy"], NOW)
    assert isinstance(accepted, Booking)
    await world.db.fetchall("SELECT 1")
    async with world.db.transaction() as tx:
        await tx.execute(
            "UPDATE session SET status = 'cancelled' WHERE id = ?", (accepted.session_id,)
        )
    seen = await world.service.visible(booking.id, yoland.id, NOW)
    assert seen is not None and seen.state is BookingState.CANCELLED
    assert replace(seen, state=BookingState.CONFIRMED) != seen


async def test_a_plenary_over_a_booked_meeting_is_reported_as_a_conflict(world):
    booking = await world.ask("hx", "hy", ["hx"])  # DAY1 09:00-09:30, Salon 1
    rows = [
        ["id", "title", "start", "end", "room", "kind"],
        ["extra", "Extra plenary", f"{DAY1}T09:15", f"{DAY1}T09:45", "Plenary Hall", "plenary"],
        ["elsewhere", "Panel elsewhere", f"{DAY1}T09:00", f"{DAY1}T10:00", "Room Z", "panel"],
        ["same-room", "Press point", f"{DAY1}T09:20", f"{DAY1}T09:40", "salon-1", "panel"],
    ]
    data = "\n".join(",".join(row) for row in rows).encode()
    report = await import_files(world.db, [SourceFile("more.csv", data)], VENUE)
    assert report.ok
    assert {(s.id, tuple(b.id for b in hit)) for s, hit in report.conflicts} == {
        ("extra", (booking.id,)),
        ("same-room", (booking.id,)),
    }
    assert any("conflict: extra" in line for line in report.summary_lines())
    # The organizers' /reschedule of the panel onto the meeting's room says so too.
    from bot.domain.changes import Applied
    from bot.services.changes import ProgrammeEditor

    editor = ProgrammeEditor(
        world.db, ProgrammeStore(world.db), NoticeSettings(Catalogs.load(VENUE), discreet=True)
    )
    moved = await editor.move("elsewhere", "Salon 1", "telegram:900", NOW)
    assert isinstance(moved, Applied) and [s.id for s, _ in moved.conflicts] == ["elsewhere"]


async def test_only_delegations_with_a_head_can_be_asked(world):
    """A delegation nobody can answer for (the secretariat) is not offered."""
    async with world.db.transaction() as tx:
        await tx.execute("INSERT INTO delegation (name) VALUES ('Secretariat')")
        await tx.execute(
            "INSERT INTO delegate (id, name, delegation_id, role) SELECT 'org', 'Olga', id,"
            " 'organizer' FROM delegation WHERE name = 'Secretariat'"
        )
    _, own = await world.head("hx")
    offered = [d.name for d in await world.service.delegations(excluding=own.id)]
    assert offered == ["Yoland", "Zembla"]
