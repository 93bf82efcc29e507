"""Bilateral meetings: requests, answers and bookings, each committed with its notices.

Every step that takes or changes a slot runs in one `BEGIN IMMEDIATE` transaction that
first re-reads what holds the room and the people and re-checks the slot
(`bot.domain.bilaterals.slot_works`): of two heads pressing for the same last slot, the
second transaction sees the first one's hold and is refused — exactly one wins.

An accepted (and, with approval, confirmed) request becomes an `invited` session written
by the importer's own functions, with the participants of both sides on its attendance:
from then on it is a session like any other (agenda, reminders, calendar, change notices).

Privacy (SPEC §6): every lookup goes through `_visible`, which answers None both for a
request that does not exist and for one the asker's delegation has no part in.
"""

from __future__ import annotations

import time as clock_time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from functools import partial

from bot.config import BilateralSettings, SummitSettings
from bot.domain.bilaterals import (
    BilateralRules,
    Booking,
    BookingState,
    Event,
    PoolRoom,
    Slot,
    SlotSearch,
    next_state,
    search_days,
    slot_works,
    slots_that_work,
)
from bot.domain.changes import SessionChanged, changes_between
from bot.domain.models import (
    AttendanceRow,
    Audience,
    Delegate,
    Role,
    Session,
    SessionKind,
    SessionStatus,
)
from bot.i18n import Catalogs, Translator, negotiate
from bot.services.imports import _apply_attendance, _apply_sessions
from bot.services.notices import NoticeSettings, queue_change_notices
from bot.storage import audit
from bot.storage import bilaterals as store
from bot.storage.bilaterals import DelegationRef
from bot.storage.database import Database, Reader, Transaction
from bot.storage.outbox import Kind, Outgoing, enqueue
from bot.storage.programme import ProgrammeStore, sessions_by_ids, to_timestamp
from bot.storage.recipients import Recipient
from bot.views import bilaterals as views
from bot.views.reply import Reply

SESSION_PREFIX = "bilateral-"
SLOTS_OFFERED = 8


class Refusal(Enum):
    MISSING = "missing"
    """No such request for this head — also what a forged or stale button reads as."""
    TAKEN = "taken"
    """The slot was taken meanwhile (or no longer works): another one must be chosen."""
    PEOPLE_BUSY = "people_busy"
    TOO_MANY = "too_many"
    """More participants than the room seats."""


@dataclass(frozen=True, slots=True)
class Lost:
    """The chosen slot no longer works; these do now."""

    slots: list[Slot]


def session_id_of(booking_id: int) -> str:
    return f"{SESSION_PREFIX}{booking_id}"


class BilateralService:
    def __init__(
        self,
        database: Database,
        programme: ProgrammeStore,
        settings: BilateralSettings,
        summit: SummitSettings,
        catalogs: Catalogs,
        notices: NoticeSettings,
    ) -> None:
        self._db = database
        self._programme = programme
        self.settings = settings
        self._summit = summit
        self._catalogs = catalogs
        self._notices = notices
        self.rules = BilateralRules(
            slot_minutes=settings.slot_minutes,
            turnaround_minutes=settings.turnaround_minutes,
            per_delegation_per_day=settings.per_delegation_per_day,
            hours=settings.hours,
            zone=summit.timezone,
        )

    # --- who may do what -------------------------------------------------------------

    async def head_of(self, delegate: Delegate | None) -> DelegationRef | None:
        """The delegation this delegate heads, or None if they are not a head."""
        if delegate is None or delegate.role is not Role.HEAD:
            return None
        return await store.delegation_of(self._db, delegate.id)

    async def visible(
        self, booking_id: int, delegation_id: int | None, now: datetime
    ) -> Booking | None:
        """The booking if `delegation_id` is one of its two sides (None = an organizer)."""
        return await self._visible(self._db, booking_id, delegation_id, now)

    async def _visible(
        self, reader: Reader, booking_id: int, delegation_id: int | None, now: datetime
    ) -> Booking | None:
        found = await store.booking(reader, booking_id)
        if found is None or (delegation_id is not None and not found.involves(delegation_id)):
            return None
        return store.with_expiry(found, to_timestamp(now))

    async def pool_rooms(self) -> list[PoolRoom]:
        return await store.pool(self._db)

    async def delegations(self, excluding: int) -> list[DelegationRef]:
        return [d for d in await store.delegations(self._db) if d.id != excluding]

    async def members(self, delegation_id: int) -> list[Delegate]:
        return await store.members(self._db, delegation_id)

    async def of_delegation(self, delegation_id: int, now: datetime) -> list[Booking]:
        moment = to_timestamp(now)
        return [
            store.with_expiry(b, moment)
            for b in await store.for_delegation(self._db, delegation_id, moment)
        ]

    async def between(
        self, start: datetime | None, end: datetime | None, now: datetime
    ) -> list[Booking]:
        moment = to_timestamp(now)
        return [
            store.with_expiry(b, moment)
            for b in await store.between(
                self._db,
                to_timestamp(start) if start else None,
                to_timestamp(end) if end else None,
            )
        ]

    # --- the search --------------------------------------------------------------------

    async def _days(self, now: datetime) -> list[date]:
        zone = self._summit.timezone
        today = now.astimezone(zone).date()
        span = await self._programme.public_span()
        if span is None:
            return [today + timedelta(days=n) for n in range(3)]
        first, last = span[0].astimezone(zone).date(), span[1].astimezone(zone).date()
        return search_days(first, last, today)

    async def _search(
        self,
        reader: Reader,
        *,
        people: Sequence[str],
        delegation_ids: Sequence[int],
        seats: int,
        days: Sequence[date],
        now: datetime,
        ignore: int = 0,
    ) -> SlotSearch:
        moment = to_timestamp(now)
        rooms = await store.pool(reader)
        if days:
            start = to_timestamp(datetime.combine(min(days), datetime.min.time(), self.rules.zone))
            end = to_timestamp(
                datetime.combine(
                    max(days) + timedelta(days=1), datetime.min.time(), self.rules.zone
                )
            )
        else:
            start = end = moment
        pad = self.rules.turnaround_minutes * 60
        return SlotSearch(
            rooms=rooms,
            room_busy=await store.room_busy(reader, rooms, start - pad, end + pad, moment, ignore),
            people_busy=await store.people_busy(reader, people, start, end, moment, ignore),
            day_counts=await store.day_counts(
                reader, delegation_ids, self.rules.zone, moment, ignore
            ),
            seats=seats,
            days=days,
            now=moment,
        )

    async def slots_for_request(
        self, own: int, other: int, participants: Sequence[str], now: datetime
    ) -> list[Slot]:
        """Slots a new request may take. The other side is assumed to bring as many people."""
        search = await self._search(
            self._db,
            people=participants,
            delegation_ids=(own, other),
            seats=2 * len(participants),
            days=await self._days(now),
            now=now,
        )
        return slots_that_work(search, self.rules, SLOTS_OFFERED)

    async def slots_for_proposal(
        self, booking: Booking, participants: Sequence[str], now: datetime
    ) -> list[Slot]:
        """Slots that work for both sides now: the asking side's people and the answerer's."""
        people = [p.delegate_id for p in booking.side(booking.requester_id)] + list(participants)
        search = await self._search(
            self._db,
            people=people,
            delegation_ids=(booking.requester_id, booking.other_id),
            seats=len(people),
            days=await self._days(now),
            now=now,
            ignore=booking.id,
        )
        return slots_that_work(search, self.rules, SLOTS_OFFERED)

    # --- requests --------------------------------------------------------------------

    async def request(
        self,
        head: Delegate,
        own: DelegationRef,
        other: DelegationRef,
        participants: Sequence[str],
        topic: str,
        slot: Slot,
        now: datetime,
        *,
        replaces: Booking | None = None,
        counterpart_people: Sequence[str] = (),
    ) -> Booking | Lost:
        """Ask `other` for a meeting in `slot`; the request holds it until answered or expired.

        With `replaces` this is a proposal of another time for that request: the old one is
        declined in the same transaction, and the people of both sides are already known.
        """
        moment = clock_time.time()
        people = list(dict.fromkeys([*participants, *counterpart_people]))
        seats = len(people) if replaces is not None else 2 * len(participants)
        ignore = replaces.id if replaces is not None else 0
        async with self._db.transaction() as tx:
            if replaces is not None:
                current = await self._visible(tx, replaces.id, own.id, now)
                if current is None or current.state is not BookingState.PENDING:
                    return Lost([])
            days = await self._days(now)
            search = await self._search(
                tx,
                people=people,
                delegation_ids=(own.id, other.id),
                seats=seats,
                days=days,
                now=now,
                ignore=ignore,
            )
            if not slot_works(search, self.rules, slot):
                return Lost(slots_that_work(search, self.rules, SLOTS_OFFERED))
            expires = now + timedelta(hours=self.settings.request_expiry_hours)
            booking_id = await store.insert_request(
                tx,
                requester_id=own.id,
                other_id=other.id,
                requested_by=head.id,
                room=slot.room,
                start=slot.start,
                end=slot.end,
                topic=topic,
                expires_at=to_timestamp(expires),
                participants=people,
                replaces=ignore or None,
                now=to_timestamp(now),
            )
            if replaces is not None:
                await store.set_state(
                    tx,
                    replaces.id,
                    BookingState.DECLINED,
                    to_timestamp(now),
                    reason="",
                    answered_by=head.id,
                )
            booking = await store.booking(tx, booking_id)
            assert booking is not None
            await audit.record(
                tx,
                moment,
                _actor(head),
                "bilateral_propose" if replaces else "bilateral_request",
                f"bilateral:{booking_id}",
                requester=own.name,
                other=other.name,
                room=slot.room,
                start=booking.start,
                participants=people,
                replaces=ignore or None,
            )
            discreet = self._notices.discreet
            await self._tell(
                tx,
                await store.heads(tx, [other.id]),
                lambda t: views.request_push(
                    t, booking, discreet=discreet, proposal=bool(replaces)
                ),
                moment,
            )
        return booking

    async def accept(
        self,
        head: Delegate,
        own: DelegationRef,
        booking_id: int,
        participants: Sequence[str],
        now: datetime,
    ) -> Booking | Refusal:
        """The asked delegation accepts with these participants of its own."""
        moment = clock_time.time()
        async with self._db.transaction() as tx:
            booking = await self._visible(tx, booking_id, own.id, now)
            if booking is None or booking.other_id != own.id:
                return Refusal.MISSING
            after = next_state(
                booking.state, Event.ACCEPT, needs_approval=self.settings.needs_approval
            )
            if after is None:
                return Refusal.MISSING
            rooms = {room.name: room for room in await store.pool(tx)}
            room = rooms.get(booking.room)
            total = len(booking.side(booking.requester_id)) + len(participants)
            if room is not None and room.capacity < total:
                return Refusal.TOO_MANY
            busy = await store.people_busy(
                tx,
                participants,
                to_timestamp(booking.start),
                to_timestamp(booking.end),
                to_timestamp(now),
                booking.id,
            )
            if busy:
                return Refusal.PEOPLE_BUSY
            await tx.execute(
                """DELETE FROM bilateral_participant WHERE bilateral_id = ? AND delegate_id IN
                   (SELECT id FROM delegate WHERE delegation_id = ?)""",
                (booking.id, own.id),
            )
            await store.add_participants(tx, booking.id, participants)
            await store.set_state(tx, booking.id, after, to_timestamp(now), answered_by=head.id)
            booking = await store.booking(tx, booking.id)
            assert booking is not None
            await audit.record(
                tx,
                moment,
                _actor(head),
                "bilateral_accept",
                f"bilateral:{booking.id}",
                participants=[p.delegate_id for p in booking.participants],
                state=after.value,
            )
            if after is BookingState.CONFIRMED:
                booking = await self._book(tx, booking, moment)
            else:
                await self._ask_organizers(tx, booking, moment)
            discreet = self._notices.discreet
            final = booking
            await self._tell(
                tx,
                await store.heads(tx, [booking.requester_id, booking.other_id]),
                lambda t: views.answered_push(t, final, discreet=discreet),
                moment,
            )
        return booking

    async def decline(
        self, head: Delegate, own: DelegationRef, booking_id: int, reason: str, now: datetime
    ) -> Booking | Refusal:
        moment = clock_time.time()
        async with self._db.transaction() as tx:
            booking = await self._visible(tx, booking_id, own.id, now)
            if booking is None or booking.other_id != own.id:
                return Refusal.MISSING
            if next_state(booking.state, Event.DECLINE, needs_approval=False) is None or (
                booking.state is not BookingState.PENDING
            ):
                return Refusal.MISSING
            await store.set_state(
                tx,
                booking.id,
                BookingState.DECLINED,
                to_timestamp(now),
                reason=reason,
                answered_by=head.id,
            )
            booking = replace(booking, state=BookingState.DECLINED, reason=reason)
            await audit.record(
                tx,
                moment,
                _actor(head),
                "bilateral_decline",
                f"bilateral:{booking.id}",
                reason=reason,
            )
            final = booking
            await self._tell(
                tx,
                await store.heads(tx, [booking.requester_id]),
                lambda t: views.answered_push(t, final, discreet=self._notices.discreet),
                moment,
            )
        return booking

    async def cancel(
        self, head: Delegate, own: DelegationRef, booking_id: int, now: datetime
    ) -> Booking | Refusal:
        """Either side's head cancels; the other side's heads (and participants) are told."""
        moment = clock_time.time()
        async with self._db.transaction() as tx:
            booking = await self._visible(tx, booking_id, own.id, now)
            if booking is None:
                return Refusal.MISSING
            if next_state(booking.state, Event.CANCEL, needs_approval=False) is None:
                return Refusal.MISSING
            await store.set_state(
                tx, booking.id, BookingState.CANCELLED, to_timestamp(now), answered_by=head.id
            )
            await self._cancel_session(tx, booking, moment)
            booking = replace(booking, state=BookingState.CANCELLED)
            await audit.record(
                tx,
                moment,
                _actor(head),
                "bilateral_cancel",
                f"bilateral:{booking.id}",
                by=own.name,
            )
            final = booking
            others = [d for d in (booking.requester_id, booking.other_id) if d != own.id]
            await self._tell(
                tx,
                await store.heads(tx, others),
                lambda t: views.cancelled_push(
                    t, final, by=own.name, discreet=self._notices.discreet
                ),
                moment,
            )
        return booking

    async def decide(
        self, actor: str, booking_id: int, confirm: bool, now: datetime
    ) -> Booking | Refusal:
        """An organizer confirms or declines a booking waiting for approval."""
        moment = clock_time.time()
        async with self._db.transaction() as tx:
            booking = await self._visible(tx, booking_id, None, now)
            if booking is None or booking.state is not BookingState.APPROVAL:
                return Refusal.MISSING
            event = Event.CONFIRM if confirm else Event.DECLINE
            after = next_state(booking.state, event, needs_approval=True)
            assert after is not None
            await store.set_state(tx, booking.id, after, to_timestamp(now))
            booking = replace(booking, state=after)
            await audit.record(
                tx, moment, actor, f"bilateral_{event.value}", f"bilateral:{booking.id}"
            )
            if after is BookingState.CONFIRMED:
                booking = await self._book(tx, booking, moment)
            final = booking
            await self._tell(
                tx,
                await store.heads(tx, [booking.requester_id, booking.other_id]),
                lambda t: views.answered_push(t, final, discreet=self._notices.discreet),
                moment,
            )
        return booking

    async def sweep(self, now: datetime) -> int:
        """Expire unanswered requests past their time and tell both sides; the slot is free."""
        moment = clock_time.time()
        due = await store.pending_expired(self._db, to_timestamp(now))
        if not due:
            return 0
        expired = 0
        async with self._db.transaction() as tx:
            for booking in due:
                changed = await tx.execute(
                    "UPDATE bilateral SET state = 'expired', updated_at = ? "
                    "WHERE id = ? AND state = 'pending'",
                    (to_timestamp(now), booking.id),
                )
                if not changed:
                    continue
                expired += 1
                final = replace(booking, state=BookingState.EXPIRED)
                await audit.record(
                    tx, moment, "system", "bilateral_expire", f"bilateral:{booking.id}"
                )
                await self._tell(
                    tx,
                    await store.heads(tx, [booking.requester_id, booking.other_id]),
                    partial(views.answered_push, booking=final, discreet=self._notices.discreet),
                    moment,
                )
        return expired

    # --- the meeting as a session ------------------------------------------------------

    async def _book(self, tx: Transaction, booking: Booking, moment: float) -> Booking:
        """The confirmed meeting becomes an invited session, written as an import writes one."""
        session_id = session_id_of(booking.id)
        titles = {
            language: self._catalogs.get(language)
            .translations.gettext("Bilateral meeting: {a} – {b}")
            .format(a=booking.requester, b=booking.other)
            for language in self._catalogs.languages
        }
        default = self._catalogs.get(self._catalogs.default)
        session = Session(
            id=session_id,
            title=default.translations.gettext("Bilateral meeting: {a} – {b}").format(
                a=booking.requester, b=booking.other
            ),
            start=booking.start,
            end=booking.end,
            room=booking.room,
            kind=SessionKind.BILATERAL,
            audience=Audience.INVITED,
            description=booking.topic,
            titles=titles,
        )
        await _apply_sessions(tx, [session], existing={}, source="")
        await _apply_attendance(
            tx, [AttendanceRow(p.delegate_id, session_id) for p in booking.participants]
        )
        await tx.execute(
            "UPDATE bilateral SET session_id = ? WHERE id = ?", (session_id, booking.id)
        )
        discreet = self._notices.discreet
        final = replace(booking, session_id=session_id, state=BookingState.CONFIRMED)
        await self._tell(
            tx,
            await store.recipients_of(tx, [p.delegate_id for p in booking.participants]),
            lambda t: views.on_agenda_push(t, final, discreet=discreet),
            moment,
        )
        return final

    async def _cancel_session(self, tx: Transaction, booking: Booking, moment: float) -> None:
        """A cancelled meeting's session is cancelled the way organizers cancel one."""
        if booking.session_id is None:
            return
        found = (await sessions_by_ids(tx, [booking.session_id])).get(booking.session_id)
        if found is None or found.cancelled:
            return
        after = replace(found, status=SessionStatus.CANCELLED)
        await tx.execute(
            "UPDATE session SET status = 'cancelled', sequence = sequence + 1 WHERE id = ?",
            (found.id,),
        )
        await queue_change_notices(
            tx, [SessionChanged(found, after, changes_between(found, after))], self._notices, moment
        )

    async def _ask_organizers(self, tx: Transaction, booking: Booking, moment: float) -> None:
        """With approval: every organizer hears that a meeting waits for /bookings."""
        messages = []
        for user_id, language in await store.organizers(tx, self._summit.organizers):
            t = self._catalogs.get(negotiate(language, default=self._catalogs.default))
            messages.append(
                Outgoing(
                    chat_id=user_id, kind=Kind.CHANGE, reply=views.awaiting_approval(t, booking)
                )
            )
        await enqueue(tx, messages, moment)

    async def _tell(
        self,
        tx: Transaction,
        people: Sequence[Recipient],
        render: Callable[[Translator], Reply],
        moment: float,
    ) -> None:
        messages = []
        for person in people:
            t = self._catalogs.get(person.language(self._catalogs.default))
            messages.append(
                Outgoing(
                    chat_id=person.user_id,
                    kind=Kind.CHANGE,
                    reply=render(t),
                    delegate_id=person.delegate_id,
                )
            )
        await enqueue(tx, messages, moment)


def _actor(head: Delegate) -> str:
    return f"delegate:{head.id}"
