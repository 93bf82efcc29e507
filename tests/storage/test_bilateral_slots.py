"""What holds the bilateral rooms and the delegates' time: the slot search's inputs."""

from datetime import UTC, date, datetime, time

from bot.domain.bilaterals import BookingState, PoolRoom
from bot.domain.models import Audience, Session, SessionKind
from bot.domain.rooms import Room, RoomKind
from bot.storage import attendance, bilateral_slots, bilaterals, delegations, programme_writes
from bot.storage.database import Database
from bot.storage.programme import from_timestamp, to_timestamp
from tests.support import bilateral_summit
from tests.support.rooms import seed_rooms
from tests.support.stores import imported
from tests.support.summit_files import DAY1, DAY2, SESSIONS_HEADER, VENUE, at, to_csv

NOW = to_timestamp(datetime(2030, 6, 1, 9, 0, tzinfo=UTC))
LATER = NOW + 12 * 3600


def t(day: date, hhmm: str) -> int:
    hours, minutes = map(int, hhmm.split(":"))
    return to_timestamp(datetime.combine(day, time(hours, minutes), VENUE))


def session(sid: str, start: str, end: str, room: str, status: str = "") -> list[str]:
    return [sid, sid.title(), start, end, room, "", "panel", "", status, ""]


# The bilateral summit (open plenary 08:00-09:00, cyber 09:00-10:00 in Room A with x1)
# and: a talk in Salon 1 (spelled otherwise), a cancelled one in Salon 2, y1's side event.
SESSIONS = [
    *bilateral_summit.SESSIONS,
    session("talk", at(DAY1, "10:00"), at(DAY1, "10:30"), "salon-1"),
    session("gone", at(DAY1, "11:00"), at(DAY1, "11:30"), "Salon 2", "cancelled"),
    session("side", at(DAY1, "10:00"), at(DAY1, "11:00"), "Room A"),
]
ATTENDANCE = [
    ["delegate_id", "session_id"],
    ["x1", "cyber"],
    ["x2", "talk"],
    ["y1", "side"],
    ["y1", "gone"],
]
ROOM_A = Room(name="Room A", building="Main", floor="0", capacity=50, kind=RoomKind.MEETING)
SALON_1, SALON_2 = PoolRoom("salon1", "Salon 1", 4), PoolRoom("salon2", "Salon 2", 8)


class Summit:
    def __init__(self, database: Database, ids: dict[str, int]) -> None:
        self.db = database
        self.x, self.y, self.z = ids["Xandria"], ids["Yoland"], ids["Zembla"]

    async def ask(
        self,
        requester: int,
        other: int,
        start: int,
        room: str,
        people: tuple[str, ...],
        *,
        state: BookingState = BookingState.PENDING,
        expires_at: int = LATER,
    ) -> int:
        async with self.db.transaction() as tx:
            booking_id = await bilaterals.insert_request(
                tx,
                requester_id=requester,
                other_id=other,
                requested_by="hx",
                room=room,
                start=start,
                end=start + 1800,
                topic="",
                expires_at=expires_at,
                participants=people,
                replaces=None,
                now=NOW,
            )
            if state is not BookingState.PENDING:
                await bilaterals.set_state(tx, booking_id, state, NOW)
        return booking_id

    async def book(self, booking_id: int, room: str, start: int) -> None:
        """Confirm as the service does: an invited session on its participants' agendas,
        linked to the booking."""
        booking = await bilaterals.booking(self.db, booking_id)
        assert booking is not None
        meeting = Session(
            id=f"bilateral-{booking_id}",
            title="Bilateral meeting",
            start=from_timestamp(start),
            end=from_timestamp(start + 1800),
            room=room,
            kind=SessionKind.BILATERAL,
            audience=Audience.INVITED,
        )
        async with self.db.transaction() as tx:
            await bilaterals.set_state(tx, booking_id, BookingState.CONFIRMED, NOW)
            await programme_writes.write_sessions(tx, [meeting], source="")
            await attendance.add_for_organizers(
                tx, [(p.delegate_id, meeting.id) for p in booking.participants]
            )
            await bilaterals.link_session(tx, booking_id, meeting.id)


async def summit(tmp_path) -> Summit:
    path = tmp_path / "summit.db"
    files = {
        **bilateral_summit.files(),
        "sessions.csv": to_csv([SESSIONS_HEADER, *SESSIONS]),
        "attendance.csv": to_csv(ATTENDANCE),
    }
    database = await imported(path, files, VENUE)
    await database.close()
    await seed_rooms(path, [*bilateral_summit.ROOMS, ROOM_A])
    database = await Database.open(path)
    ids = {ref.name: ref.id for ref in await delegations.delegations(database)}
    return Summit(database, ids)


async def test_the_pool_is_the_bilateral_rooms_by_name(tmp_path):
    world = await summit(tmp_path)
    try:
        assert await bilateral_slots.pool(world.db) == [SALON_1, SALON_2]
    finally:
        await world.db.close()


async def test_rooms_are_held_by_scheduled_sessions_and_holding_requests(tmp_path):
    world = await summit(tmp_path)
    try:
        pending = await world.ask(world.x, world.y, t(DAY1, "09:00"), "Salon 1", ("hx",))
        approval = await world.ask(
            world.x, world.z, t(DAY1, "11:00"), "Salon 1", ("hx",), state=BookingState.APPROVAL
        )
        await world.ask(
            world.y, world.z, t(DAY1, "09:00"), "Salon 2", ("hy",), state=BookingState.DECLINED
        )
        await world.ask(world.y, world.z, t(DAY1, "09:30"), "Salon 2", ("hy",), expires_at=NOW)
        await world.ask(world.y, world.z, t(DAY2, "09:00"), "Salon 2", ("hy",))
        booked = await world.ask(world.z, world.y, t(DAY1, "08:00"), "Salon 2", ("hz",))
        await world.book(booked, "Salon 2", t(DAY1, "10:30"))  # moved when confirmed
        window = (t(DAY1, "08:00"), t(DAY1, "12:00"))

        busy = await bilateral_slots.room_busy(world.db, [SALON_1, SALON_2], *window, NOW)
        # Salon 1: the talk (whatever its spelling) and two holding requests. Salon 2: the
        # booked meeting once, through its session; not the cancelled session, the
        # declined or lapsed requests, nor tomorrow's. Room A is no pool room.
        assert {key: sorted(spans) for key, spans in busy.items()} == {
            "salon1": [
                (t(DAY1, "09:00"), t(DAY1, "09:30")),
                (t(DAY1, "10:00"), t(DAY1, "10:30")),
                (t(DAY1, "11:00"), t(DAY1, "11:30")),
            ],
            "salon2": [(t(DAY1, "10:30"), t(DAY1, "11:00"))],
        }
        # A request re-checked for itself does not hold its own room (nor its session).
        for ignored, key, left in [
            (pending, "salon1", 2),
            (approval, "salon1", 2),
            (booked, "salon2", 0),
        ]:
            again = await bilateral_slots.room_busy(
                world.db, [SALON_1, SALON_2], *window, NOW, ignore=ignored
            )
            assert len(again[key]) == left, ignored
        # Only what meets the window: the touching talk 10:00-10:30 is outside [10:30, 11:00).
        narrow = await bilateral_slots.room_busy(
            world.db, [SALON_1], t(DAY1, "10:30"), t(DAY1, "11:00"), NOW
        )
        assert narrow == {"salon1": []}
        # A pending request holds until its expiry, not at or after it.
        expired = await bilateral_slots.room_busy(world.db, [SALON_1], *window, LATER)
        assert sorted(expired["salon1"]) == [
            (t(DAY1, "10:00"), t(DAY1, "10:30")),
            (t(DAY1, "11:00"), t(DAY1, "11:30")),
        ]
    finally:
        await world.db.close()


async def test_people_are_held_by_their_agenda_open_plenaries_and_their_requests(tmp_path):
    world = await summit(tmp_path)
    try:
        held = await world.ask(world.x, world.y, t(DAY1, "11:00"), "Salon 1", ("x1", "hy"))
        await world.ask(
            world.x, world.y, t(DAY1, "11:30"), "Salon 1", ("x1",), state=BookingState.CANCELLED
        )
        booked = await world.ask(world.x, world.z, t(DAY1, "08:00"), "Salon 2", ("x2",))
        await world.book(booked, "Salon 2", t(DAY1, "11:30"))
        window = (t(DAY1, "00:00"), t(DAY2, "00:00"))

        async def busy(*people: str, ignore: int = 0) -> list[tuple[int, int]]:
            return sorted(await bilateral_slots.people_busy(world.db, people, *window, NOW, ignore))

        plenary = (t(DAY1, "08:00"), t(DAY1, "09:00"))
        # Everyone has the open plenary; x1 also cyber and the held request (not the
        # cancelled one); y1 their side event (not the cancelled session).
        assert await busy("z1") == [plenary]
        assert await busy("x1") == [
            plenary,
            (t(DAY1, "09:00"), t(DAY1, "10:00")),
            (t(DAY1, "11:00"), t(DAY1, "11:30")),
        ]
        assert await busy("y1") == [plenary, (t(DAY1, "10:00"), t(DAY1, "11:00"))]
        assert await busy("x2") == [
            plenary,
            (t(DAY1, "10:00"), t(DAY1, "10:30")),
            (t(DAY1, "11:30"), t(DAY1, "12:00")),
        ]
        assert await busy("x1", ignore=held) == [plenary, (t(DAY1, "09:00"), t(DAY1, "10:00"))]
        assert await busy("x2", ignore=booked) == [plenary, (t(DAY1, "10:00"), t(DAY1, "10:30"))]
        assert await busy("hy") == [plenary, (t(DAY1, "11:00"), t(DAY1, "11:30"))]
        assert await bilateral_slots.people_busy(world.db, [], *window, NOW) == []
        # Only what meets the window.
        assert (
            await bilateral_slots.people_busy(
                world.db, ["x1"], t(DAY2, "08:00"), t(DAY2, "12:00"), NOW
            )
            == []
        )
    finally:
        await world.db.close()


async def test_day_counts_are_the_busiest_delegations_holding_bookings_per_venue_day(tmp_path):
    world = await summit(tmp_path)
    try:
        await world.ask(world.x, world.y, t(DAY1, "09:00"), "Salon 1", ("hx",))
        await world.ask(world.z, world.x, t(DAY1, "10:00"), "Salon 1", ("hz",))
        await world.ask(
            world.x, world.z, t(DAY1, "11:00"), "Salon 1", ("hx",), state=BookingState.DECLINED
        )
        await world.ask(world.x, world.z, t(DAY1, "11:30"), "Salon 1", ("hx",), expires_at=NOW)
        # 01:00 at the venue on day 2 is still day 1 in UTC: it counts for day 2.
        late = await world.ask(world.y, world.z, t(DAY2, "01:00"), "Salon 2", ("hy",))
        moved = await world.ask(world.y, world.z, t(DAY1, "09:00"), "Salon 2", ("hy",))
        await world.book(moved, "Salon 2", t(DAY2, "10:00"))  # its session is on day 2

        async def counts(*ids: int, ignore: int = 0) -> dict[date, int]:
            return await bilateral_slots.day_counts(world.db, ids, VENUE, NOW, ignore)

        assert await counts(world.x) == {DAY1: 2}
        assert await counts(world.y) == {DAY1: 1, DAY2: 2}
        assert await counts(world.x, world.y) == {DAY1: 2, DAY2: 2}
        assert await counts(world.z) == {DAY1: 1, DAY2: 2}
        assert await counts(world.y, ignore=late) == {DAY1: 1, DAY2: 1}
        assert await bilateral_slots.day_counts(world.db, [world.x], VENUE, LATER) == {}
    finally:
        await world.db.close()
