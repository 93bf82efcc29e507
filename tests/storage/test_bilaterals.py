"""Bilateral requests and bookings: their rows, their states, and what they collide with."""

from dataclasses import replace
from datetime import UTC, datetime, time

from bot.domain.bilaterals import Booking, BookingState, Participant
from bot.domain.models import Audience, Session, SessionKind, SessionStatus
from bot.storage import bilaterals, delegations, programme_writes
from bot.storage.database import Database
from bot.storage.programme import from_timestamp, sessions_by_ids, to_timestamp
from tests.support import bilateral_summit
from tests.support.stores import imported
from tests.support.summit_files import DAY1, DAY2, VENUE

NOW = to_timestamp(datetime(2030, 6, 1, 9, 0, tzinfo=UTC))
LATER = NOW + 12 * 3600  # when requests made at NOW expire


def t(day, hhmm: str) -> int:
    hours, minutes = map(int, hhmm.split(":"))
    return to_timestamp(datetime.combine(day, time(hours, minutes), VENUE))


class Summit:
    def __init__(self, database: Database, ids: dict[str, int]) -> None:
        self.db = database
        self.x, self.y, self.z = ids["Xandria"], ids["Yoland"], ids["Zembla"]

    async def ask(
        self,
        requester: int,
        other: int,
        start: int,
        *,
        minutes: int = 30,
        room: str = "Salon 1",
        people: tuple[str, ...] = ("hx",),
        expires_at: int = LATER,
        replaces: int | None = None,
        by: str = "hx",
    ) -> int:
        async with self.db.transaction() as tx:
            return await bilaterals.insert_request(
                tx,
                requester_id=requester,
                other_id=other,
                requested_by=by,
                room=room,
                start=start,
                end=start + minutes * 60,
                topic="Trade",
                expires_at=expires_at,
                participants=people,
                replaces=replaces,
                now=NOW,
            )

    async def set_state(self, booking_id: int, state: BookingState, **kwargs) -> None:
        async with self.db.transaction() as tx:
            await bilaterals.set_state(tx, booking_id, state, NOW + 60, **kwargs)

    async def get(self, booking_id: int) -> Booking:
        found = await bilaterals.booking(self.db, booking_id)
        assert found is not None
        return found


async def summit(tmp_path) -> Summit:
    database = await imported(tmp_path / "summit.db", bilateral_summit.files(), VENUE)
    ids = {ref.name: ref.id for ref in await delegations.delegations(database)}
    return Summit(database, ids)


def meeting(session_id: str, start: int, end: int, room: str) -> Session:
    return Session(
        id=session_id,
        title="Bilateral meeting: Xandria – Yoland",
        start=from_timestamp(start),
        end=from_timestamp(end),
        room=room,
        kind=SessionKind.BILATERAL,
        audience=Audience.INVITED,
    )


async def test_a_request_reads_back_whole_with_its_participants_by_name(tmp_path):
    world = await summit(tmp_path)
    try:
        start = t(DAY1, "09:00")
        booking_id = await world.ask(world.x, world.y, start, people=("x2", "hx", "x1", "hx", "hy"))
        assert await bilaterals.booking(world.db, booking_id) == Booking(
            id=booking_id,
            requester_id=world.x,
            requester="Xandria",
            other_id=world.y,
            other="Yoland",
            requested_by="hx",
            room="Salon 1",
            start=from_timestamp(start),
            end=from_timestamp(start + 1800),
            topic="Trade",
            state=BookingState.PENDING,
            reason="",
            expires_at=from_timestamp(LATER),
            session_id=None,
            replaces=None,
            # Each once, by name: Hana Xu, Xavier One, Xenia Two, Youssef Haddad.
            participants=(
                Participant("hx", "Hana Xu", world.x),
                Participant("x1", "Xavier One", world.x),
                Participant("x2", "Xenia Two", world.x),
                Participant("hy", "Youssef Haddad", world.y),
            ),
        )
        assert await bilaterals.booking(world.db, booking_id + 1) is None
        # A proposal of another time names the request it replaces.
        other = await world.ask(world.y, world.x, start + 3600, replaces=booking_id, by="hy")
        assert (await world.get(other)).replaces == booking_id
    finally:
        await world.db.close()


async def test_states_answers_and_sides(tmp_path):
    world = await summit(tmp_path)
    try:
        booking_id = await world.ask(world.x, world.y, t(DAY1, "09:00"), people=("hx", "x1"))
        async with world.db.transaction() as tx:
            await bilaterals.replace_side(tx, booking_id, world.y, ["y1", "hy"])
        await world.set_state(booking_id, BookingState.APPROVAL, answered_by="hy")
        # The asked side chose its people; the asking side's stay as they were.
        booking = await world.get(booking_id)
        assert [p.delegate_id for p in booking.side(world.x)] == ["hx", "x1"]
        assert [p.delegate_id for p in booking.side(world.y)] == ["y1", "hy"]
        async with world.db.transaction() as tx:
            await bilaterals.replace_side(tx, booking_id, world.x, ["x3"])
            await bilaterals.add_participants(tx, booking_id, ["x2", "x3"])
        booking = await world.get(booking_id)
        assert [p.delegate_id for p in booking.side(world.x)] == ["x3", "x2"]
        assert [p.delegate_id for p in booking.side(world.y)] == ["y1", "hy"]

        await world.set_state(booking_id, BookingState.DECLINED, reason="Busy")
        # A later change without a reason or an answerer keeps the ones recorded.
        await world.set_state(booking_id, BookingState.CANCELLED)
        row = await world.db.fetchone(
            "SELECT state, reason, answered_by, updated_at FROM bilateral WHERE id = ?",
            (booking_id,),
        )
        assert row is not None
        assert tuple(row) == ("cancelled", "Busy", "hy", NOW + 60)
        assert (await world.get(booking_id)).state is BookingState.CANCELLED
    finally:
        await world.db.close()


async def test_pending_requests_expire_once_and_only_while_pending(tmp_path):
    world = await summit(tmp_path)
    try:
        early = await world.ask(world.x, world.y, t(DAY1, "09:00"), expires_at=NOW + 100)
        late = await world.ask(world.x, world.z, t(DAY1, "10:00"), expires_at=NOW + 200)
        answered = await world.ask(world.y, world.z, t(DAY1, "11:00"), expires_at=NOW + 50)
        await world.set_state(answered, BookingState.CONFIRMED)

        assert await bilaterals.pending_expired(world.db, NOW + 99) == []
        # Expired at the instant itself, not a second later.
        assert [b.id for b in await bilaterals.pending_expired(world.db, NOW + 100)] == [early]
        assert [b.id for b in await bilaterals.pending_expired(world.db, NOW + 500)] == [
            early,
            late,
        ]
        # The view of a request at an instant, before the sweep has run.
        booking = await world.get(early)
        assert bilaterals.with_expiry(booking, NOW + 99) is booking
        assert bilaterals.with_expiry(booking, NOW + 100) == replace(
            booking, state=BookingState.EXPIRED
        )
        confirmed = await world.get(answered)
        assert bilaterals.with_expiry(confirmed, NOW + 500) is confirmed

        async with world.db.transaction() as tx:
            assert await bilaterals.expire(tx, early, NOW + 100) is True
            assert await bilaterals.expire(tx, early, NOW + 101) is False
            assert await bilaterals.expire(tx, answered, NOW + 101) is False
        assert (await world.get(early)).state is BookingState.EXPIRED
        assert (await world.get(answered)).state is BookingState.CONFIRMED
        assert [b.id for b in await bilaterals.pending_expired(world.db, NOW + 500)] == [late]
    finally:
        await world.db.close()


async def test_a_delegations_bookings_and_those_in_a_period(tmp_path):
    world = await summit(tmp_path)
    try:
        xy = await world.ask(world.x, world.y, t(DAY1, "10:00"))
        zx = await world.ask(world.z, world.x, t(DAY1, "09:00"), by="hz", people=("hz",))
        yz = await world.ask(world.y, world.z, t(DAY2, "09:00"), by="hy", people=("hy",))
        declined = await world.ask(world.x, world.z, t(DAY2, "11:00"))
        await world.set_state(declined, BookingState.DECLINED)

        async def of(delegation: int, since: int) -> list[int]:
            return [b.id for b in await bilaterals.for_delegation(world.db, delegation, since)]

        # Asking or asked, answered or not, by start time.
        assert await of(world.x, NOW) == [zx, xy, declined]
        assert await of(world.y, NOW) == [xy, yz]
        # Not those over by `since`: one ending exactly then is over.
        assert await of(world.x, t(DAY1, "09:30")) == [xy, declined]
        assert await of(world.x, t(DAY2, "12:00")) == []

        async def during(start: int | None, end: int | None) -> list[int]:
            return [b.id for b in await bilaterals.between(world.db, start, end)]

        assert await during(None, None) == [zx, xy, yz, declined]
        # Half-open: starting at `start` is in, starting at `end` is out.
        assert await during(t(DAY1, "09:00"), t(DAY1, "10:00")) == [zx]
        assert await during(t(DAY1, "09:01"), None) == [xy, yz, declined]
        assert await during(None, t(DAY2, "09:00")) == [zx, xy]
    finally:
        await world.db.close()


async def test_a_booked_meeting_takes_its_sessions_place_time_and_cancellation(tmp_path):
    world = await summit(tmp_path)
    try:
        start = t(DAY1, "10:00")
        booking_id = await world.ask(world.x, world.y, start)
        await world.set_state(booking_id, BookingState.CONFIRMED)
        async with world.db.transaction() as tx:
            await programme_writes.write_sessions(
                tx, [meeting("bilateral-1", start, start + 1800, "Salon 1")], source=""
            )
            await bilaterals.link_session(tx, booking_id, "bilateral-1")
        booking = await world.get(booking_id)
        assert (booking.session_id, booking.room, booking.start) == (
            "bilateral-1",
            "Salon 1",
            from_timestamp(start),
        )
        # Organizers move the session: the booking is where and when its session is.
        moved = t(DAY2, "11:00")
        async with world.db.transaction() as tx:
            await programme_writes.set_columns(
                tx, "bilateral-1", {"room": "Salon 2", "starts_at": moved, "ends_at": moved + 900}
            )
        booking = await world.get(booking_id)
        assert (booking.room, booking.start, booking.end, booking.state) == (
            "Salon 2",
            from_timestamp(moved),
            from_timestamp(moved + 900),
            BookingState.CONFIRMED,
        )
        assert [b.id for b in await bilaterals.between(world.db, moved, moved + 1)] == [booking_id]
        # Past the time first asked for, the moved meeting is not over yet.
        since = start + 3600
        assert [b.id for b in await bilaterals.for_delegation(world.db, world.y, since)] == [
            booking_id
        ]
        assert await bilaterals.between(world.db, start, start + 1) == []
        # ... and cancelled with it.
        async with world.db.transaction() as tx:
            await programme_writes.cancel(tx, "bilateral-1")
        assert (await world.get(booking_id)).state is BookingState.CANCELLED
    finally:
        await world.db.close()


async def test_conflicts_are_holding_bookings_in_a_sessions_room_or_under_an_open_plenary(
    tmp_path,
):
    world = await summit(tmp_path)
    try:
        nine = t(DAY1, "09:00")
        in_salon = await world.ask(world.x, world.y, nine, room="Salon 1")
        in_room_a = await world.ask(world.y, world.z, nine, room="room-a", by="hy")
        declined = await world.ask(world.x, world.z, nine, room="Room A")
        await world.set_state(declined, BookingState.DECLINED)
        lapsed = await world.ask(world.z, world.x, nine, room="Room A", expires_at=NOW, by="hz")
        awaiting = await world.ask(world.z, world.y, t(DAY1, "09:45"), room="Room A", by="hz")
        await world.set_state(awaiting, BookingState.APPROVAL)
        assert lapsed and in_salon

        sessions = await sessions_by_ids(world.db, ["open", "cyber", "closing"])
        # The opening plenary moves onto 09:00-10:00 in the plenary hall: it is everyone's.
        plenary = replace(sessions["open"], start=from_timestamp(nine), end=sessions["cyber"].end)
        found = await bilaterals.conflicts(
            world.db, [plenary, sessions["cyber"], sessions["closing"]], NOW
        )
        # The open plenary meets every holding booking at its time; cyber (Room A, 09:00-
        # 10:00) only those in Room A, however the room is spelled. Not the declined one,
        # not the lapsed request, and nothing at the closing plenary's time.
        assert [(s.id, [b.id for b in hits]) for s, hits in found] == [
            ("open", [in_salon, in_room_a, awaiting]),
            ("cyber", [in_room_a, awaiting]),
        ]
        # An invited plenary is no one's but its attendees': only its own room counts.
        invited = replace(plenary, audience=Audience.INVITED, room="Salon 1")
        found = await bilaterals.conflicts(world.db, [invited], NOW)
        assert [(s.id, [b.id for b in hits]) for s, hits in found] == [("open", [in_salon])]
        # A cancelled session collides with nothing.
        cancelled = replace(sessions["cyber"], status=SessionStatus.CANCELLED)
        assert await bilaterals.conflicts(world.db, [cancelled], NOW) == []
    finally:
        await world.db.close()


async def test_a_meeting_does_not_conflict_with_its_own_session(tmp_path):
    world = await summit(tmp_path)
    try:
        start = t(DAY1, "10:00")
        booking_id = await world.ask(world.x, world.y, start)
        await world.set_state(booking_id, BookingState.CONFIRMED)
        own = meeting("bilateral-1", start, start + 1800, "Salon 1")
        async with world.db.transaction() as tx:
            await programme_writes.write_sessions(tx, [own], source="")
            await bilaterals.link_session(tx, booking_id, "bilateral-1")
        assert await bilaterals.conflicts(world.db, [own], NOW) == []
        other = replace(own, id="talk")
        found = await bilaterals.conflicts(world.db, [other], NOW)
        assert [(s.id, [b.id for b in hits]) for s, hits in found] == [("talk", [booking_id])]
    finally:
        await world.db.close()
