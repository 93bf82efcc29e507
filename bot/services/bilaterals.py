"""Bilateral meetings: requests, answers and bookings, each committed with its notices.

Every step that takes or changes a slot runs in one `BEGIN IMMEDIATE` transaction that
first re-reads what holds the room and the people and re-checks the slot
(`bot.domain.bilaterals.slot_works`): of two heads pressing for the same last slot, the
second transaction sees the first one's hold and is refused — exactly one wins.

An accepted (and, with approval, confirmed) request becomes an `invited` session
(`bot.services.bilateral_meetings`): from then on it is a session like any other.

Privacy (SPEC §6): every step finds its booking through `_visible`
(`bot.services.bilateral_queries`), which answers None both for a request that does not
exist and for one the asker's delegation has no part in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from functools import partial

from bot.domain.bilaterals import (
    Booking,
    BookingState,
    DelegationRef,
    Event,
    Slot,
    next_state,
    slot_works,
    slots_that_work,
)
from bot.domain.models import Delegate
from bot.i18n import Translator
from bot.reply import Reply
from bot.services.bilateral_queries import BilateralQueries
from bot.services.bilateral_slots import SLOTS_OFFERED
from bot.storage import audit
from bot.storage import bilateral_slots as held
from bot.storage import bilaterals as store
from bot.storage import delegations as delegation_store
from bot.storage.database import Transaction
from bot.storage.programme import to_timestamp
from bot.views import bilaterals as views


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


class BilateralService(BilateralQueries):
    """The steps that change a request or booking, each one transaction with its notices."""

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
        moment = self._clock.time()
        people = list(dict.fromkeys([*participants, *counterpart_people]))
        seats = len(people) if replaces is not None else 2 * len(participants)
        ignore = replaces.id if replaces is not None else 0
        async with self._db.transaction() as tx:
            if replaces is not None:
                current = await self._visible(tx, replaces.id, own.id, now)
                if current is None or current.state is not BookingState.PENDING:
                    return Lost([])
            days = await self._slots.days(now)
            search = await self._slots.search(
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
            await _record(
                tx,
                moment,
                _actor(head),
                "bilateral_propose" if replaces else "bilateral_request",
                booking_id,
                requester=own.name,
                other=other.name,
                room=slot.room,
                start=booking.start,
                participants=people,
                replaces=ignore or None,
            )
            discreet = self._notices.discreet
            await self._tell_heads(
                tx,
                [other.id],
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
        moment = self._clock.time()
        async with self._db.transaction() as tx:
            booking = await self._visible(tx, booking_id, own.id, now)
            if booking is None or booking.other_id != own.id:
                return Refusal.MISSING
            after = next_state(
                booking.state, Event.ACCEPT, needs_approval=self.settings.needs_approval
            )
            if after is None:
                return Refusal.MISSING
            rooms = {room.name: room for room in await held.pool(tx)}
            room = rooms.get(booking.room)
            total = len(booking.side(booking.requester_id)) + len(participants)
            if room is not None and room.capacity < total:
                return Refusal.TOO_MANY
            busy = await held.people_busy(
                tx,
                participants,
                to_timestamp(booking.start),
                to_timestamp(booking.end),
                to_timestamp(now),
                booking.id,
            )
            if busy:
                return Refusal.PEOPLE_BUSY
            await store.replace_side(tx, booking.id, own.id, participants)
            await store.set_state(tx, booking.id, after, to_timestamp(now), answered_by=head.id)
            booking = await store.booking(tx, booking.id)
            assert booking is not None
            await _record(
                tx,
                moment,
                _actor(head),
                "bilateral_accept",
                booking.id,
                participants=[p.delegate_id for p in booking.participants],
                state=after.value,
            )
            if after is BookingState.CONFIRMED:
                booking = await self._meetings.book(tx, booking, moment)
            else:
                await self._meetings.ask_organizers(tx, booking, moment)
            discreet = self._notices.discreet
            final = booking
            await self._tell_heads(
                tx,
                [booking.requester_id, booking.other_id],
                lambda t: views.answered_push(t, final, discreet=discreet),
                moment,
            )
        return booking

    async def decline(
        self, head: Delegate, own: DelegationRef, booking_id: int, reason: str, now: datetime
    ) -> Booking | Refusal:
        moment = self._clock.time()
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
            await _record(tx, moment, _actor(head), "bilateral_decline", booking.id, reason=reason)
            final = booking
            await self._tell_heads(
                tx,
                [booking.requester_id],
                lambda t: views.answered_push(t, final, discreet=self._notices.discreet),
                moment,
            )
        return booking

    async def cancel(
        self, head: Delegate, own: DelegationRef, booking_id: int, now: datetime
    ) -> Booking | Refusal:
        """Either side's head cancels; the other side's heads (and participants) are told."""
        moment = self._clock.time()
        async with self._db.transaction() as tx:
            booking = await self._visible(tx, booking_id, own.id, now)
            if booking is None:
                return Refusal.MISSING
            if next_state(booking.state, Event.CANCEL, needs_approval=False) is None:
                return Refusal.MISSING
            await store.set_state(
                tx, booking.id, BookingState.CANCELLED, to_timestamp(now), answered_by=head.id
            )
            await self._meetings.cancel_session(tx, booking, moment)
            booking = replace(booking, state=BookingState.CANCELLED)
            await _record(tx, moment, _actor(head), "bilateral_cancel", booking.id, by=own.name)
            final = booking
            others = [d for d in (booking.requester_id, booking.other_id) if d != own.id]
            await self._tell_heads(
                tx,
                others,
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
        moment = self._clock.time()
        async with self._db.transaction() as tx:
            booking = await self._visible(tx, booking_id, None, now)
            if booking is None or booking.state is not BookingState.APPROVAL:
                return Refusal.MISSING
            event = Event.CONFIRM if confirm else Event.DECLINE
            after = next_state(booking.state, event, needs_approval=True)
            assert after is not None
            await store.set_state(tx, booking.id, after, to_timestamp(now))
            booking = replace(booking, state=after)
            await _record(tx, moment, actor, f"bilateral_{event.value}", booking.id)
            if after is BookingState.CONFIRMED:
                booking = await self._meetings.book(tx, booking, moment)
            final = booking
            await self._tell_heads(
                tx,
                [booking.requester_id, booking.other_id],
                lambda t: views.answered_push(t, final, discreet=self._notices.discreet),
                moment,
            )
        return booking

    async def sweep(self, now: datetime) -> int:
        """Expire unanswered requests past their time and tell both sides; the slot is free."""
        moment = self._clock.time()
        due = await store.pending_expired(self._db, to_timestamp(now))
        if not due:
            return 0
        expired = 0
        async with self._db.transaction() as tx:
            for booking in due:
                if not await store.expire(tx, booking.id, to_timestamp(now)):
                    continue
                expired += 1
                final = replace(booking, state=BookingState.EXPIRED)
                await _record(tx, moment, "system", "bilateral_expire", booking.id)
                await self._tell_heads(
                    tx,
                    [booking.requester_id, booking.other_id],
                    partial(views.answered_push, booking=final, discreet=self._notices.discreet),
                    moment,
                )
        return expired

    async def _tell_heads(
        self,
        tx: Transaction,
        delegation_ids: Sequence[int],
        render: Callable[[Translator], Reply],
        moment: float,
    ) -> None:
        """One message to each head of the delegations in `delegation_ids`."""
        heads = await delegation_store.heads(tx, delegation_ids)
        await self._meetings.tell(tx, heads, render, moment)


async def _record(
    tx: Transaction, moment: float, actor: str, action: str, booking_id: int, **detail: object
) -> None:
    """The audit line of one step on a booking."""
    await audit.record(tx, moment, actor, action, f"bilateral:{booking_id}", **detail)


def _actor(head: Delegate) -> str:
    return f"delegate:{head.id}"
