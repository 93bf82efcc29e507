"""Bilateral meetings between delegations: the rules, as pure functions over values.

A head of delegation asks another delegation for a meeting; the request holds a room
and its people until it is answered or expires (SPEC §6). `slots_that_work` finds the
times a request may take; `next_state` is the request's life:

    pending ──accept──> confirmed              (approval "none")
    pending ──accept──> approval ──confirm──> confirmed   (approval "organizers")
    pending / approval ──decline──> declined
    pending / approval / confirmed ──cancel──> cancelled
    pending ──expire──> expired

Times are whole seconds since the epoch (UTC) here: the search compares many intervals
and integers keep it simple and fast. Every interval is half-open, [start, end).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from bot.domain.models import Session

Interval = tuple[int, int]
GRID_MINUTES = 15
"""Candidate start times are this far apart (and never further than a slot's length)."""


class BookingState(StrEnum):
    PENDING = "pending"
    """Asked, waiting for the other delegation; holds the slot until it expires."""
    APPROVAL = "approval"
    """Accepted by both delegations, waiting for an organizer to confirm."""
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def holds(self) -> bool:
        """Whether a booking in this state keeps its room, its people and a daily place."""
        return self in HOLDING

    @property
    def export_status(self) -> str:
        """The bookings CSV's `status` (SPEC §4): waiting for organizers is still pending."""
        return BookingState.PENDING.value if self is BookingState.APPROVAL else self.value


HOLDING = frozenset({BookingState.PENDING, BookingState.APPROVAL, BookingState.CONFIRMED})


class Event(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    CANCEL = "cancel"
    EXPIRE = "expire"
    CONFIRM = "confirm"
    """An organizer confirms (approval mode)."""


_TRANSITIONS: Mapping[tuple[BookingState, Event], BookingState] = {
    (BookingState.PENDING, Event.DECLINE): BookingState.DECLINED,
    (BookingState.PENDING, Event.CANCEL): BookingState.CANCELLED,
    (BookingState.PENDING, Event.EXPIRE): BookingState.EXPIRED,
    (BookingState.APPROVAL, Event.CONFIRM): BookingState.CONFIRMED,
    (BookingState.APPROVAL, Event.DECLINE): BookingState.DECLINED,
    (BookingState.APPROVAL, Event.CANCEL): BookingState.CANCELLED,
    (BookingState.CONFIRMED, Event.CANCEL): BookingState.CANCELLED,
}


def next_state(state: BookingState, event: Event, *, needs_approval: bool) -> BookingState | None:
    """The state after `event`, or None when the event does not apply (already answered)."""
    if state is BookingState.PENDING and event is Event.ACCEPT:
        return BookingState.APPROVAL if needs_approval else BookingState.CONFIRMED
    return _TRANSITIONS.get((state, event))


def effective_state(state: BookingState, expires_at: int, now: int) -> BookingState:
    """A pending request past its expiry is expired, whether or not the sweep saw it yet."""
    if state is BookingState.PENDING and expires_at <= now:
        return BookingState.EXPIRED
    return state


@dataclass(frozen=True, slots=True)
class BilateralRules:
    slot_minutes: int
    turnaround_minutes: int
    per_delegation_per_day: int
    """0 = no cap."""
    hours: tuple[time, time]
    zone: tzinfo


@dataclass(frozen=True, slots=True)
class PoolRoom:
    key: str
    name: str
    capacity: int


@dataclass(frozen=True, slots=True)
class Slot:
    start: int
    end: int
    room: str
    """The room's name, as sessions name it."""


@dataclass(frozen=True, slots=True)
class SlotSearch:
    """Everything the search needs to know, as plain values."""

    rooms: Sequence[PoolRoom]
    room_busy: Mapping[str, Sequence[Interval]]
    """By room key: sessions and holding bookings in that room (any order, may overlap)."""
    people_busy: Sequence[Interval]
    """When any chosen participant has something on their agenda or held by a request."""
    day_counts: Mapping[date, int]
    """Holding bookings per venue day of the busier of the two delegations."""
    seats: int
    days: Sequence[date]
    now: int


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same time (touching ones joined)."""
    result: list[list[int]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if result and start <= result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(start, end) for start, end in result]


def overlaps(busy: Sequence[Interval], start: int, end: int) -> bool:
    """Whether [start, end) meets any of `busy` (sorted and merged) — a binary search."""
    index = bisect_left(busy, (start, start))
    if index < len(busy) and busy[index][0] < end:
        return True
    return index > 0 and busy[index - 1][1] > start


def _timestamp(day: date, moment: time, zone: tzinfo) -> int:
    return int(datetime.combine(day, moment, zone).timestamp())


def venue_day(moment: int, zone: tzinfo) -> date:
    return datetime.fromtimestamp(moment, zone).date()


def slots_that_work(search: SlotSearch, rules: BilateralRules, limit: int = 8) -> list[Slot]:
    """The first `limit` slots, in time order, each in the smallest room that seats everyone.

    A slot works when (SPEC §6) a pool room big enough is free from `turnaround` before
    its start to `turnaround` after its end, it lies inside the booking hours and not in
    the past, no chosen participant is busy, and neither delegation has reached its cap
    that day. Cost: per candidate start one binary search in the people's intervals and
    at most one per room — never a scan of all bookings.
    """
    length = rules.slot_minutes * 60
    pad = rules.turnaround_minutes * 60
    step = min(GRID_MINUTES, rules.slot_minutes) * 60
    people = merged(search.people_busy)
    rooms = sorted(
        (room for room in search.rooms if room.capacity >= search.seats),
        key=lambda room: (room.capacity, room.name),
    )
    busy = {room.key: merged(search.room_busy.get(room.key, ())) for room in rooms}
    cap = rules.per_delegation_per_day
    found: list[Slot] = []
    for day in sorted(search.days):
        if cap and search.day_counts.get(day, 0) >= cap:
            continue
        opens = _timestamp(day, rules.hours[0], rules.zone)
        closes = _timestamp(day, rules.hours[1], rules.zone)
        start = opens
        if start < search.now:
            # The first grid point not in the past.
            start += -(-(search.now - start) // step) * step
        while start + length <= closes:
            end = start + length
            if not overlaps(people, start, end):
                for room in rooms:
                    if not overlaps(busy[room.key], start - pad, end + pad):
                        found.append(Slot(start, end, room.name))
                        break
                if len(found) >= limit:
                    return found
            start += step
    return found


def search_days(first: date, last: date, today: date) -> list[date]:
    """The summit's days from today on (all of them before it starts)."""
    start = max(first, today)
    return [start + timedelta(days=n) for n in range((last - start).days + 1)]


def slot_works(search: SlotSearch, rules: BilateralRules, slot: Slot) -> bool:
    """Whether one slot still works: the re-check made inside the booking's transaction."""
    length = rules.slot_minutes * 60
    pad = rules.turnaround_minutes * 60
    if slot.end - slot.start != length or slot.start < search.now:
        return False
    day = venue_day(slot.start, rules.zone)
    if day not in search.days:
        return False
    opens = _timestamp(day, rules.hours[0], rules.zone)
    closes = _timestamp(day, rules.hours[1], rules.zone)
    if slot.start < opens or slot.end > closes:
        return False
    cap = rules.per_delegation_per_day
    if cap and search.day_counts.get(day, 0) >= cap:
        return False
    if overlaps(merged(search.people_busy), slot.start, slot.end):
        return False
    room = next((r for r in search.rooms if r.name == slot.room), None)
    if room is None or room.capacity < search.seats:
        return False
    return not overlaps(
        merged(search.room_busy.get(room.key, ())), slot.start - pad, slot.end + pad
    )


@dataclass(frozen=True, slots=True)
class Participant:
    delegate_id: str
    name: str
    delegation_id: int


@dataclass(frozen=True, slots=True)
class Booking:
    """A request for a bilateral meeting, and the meeting it became."""

    id: int
    requester_id: int
    requester: str
    """The requesting delegation's name."""
    other_id: int
    other: str
    requested_by: str
    room: str
    start: datetime
    end: datetime
    topic: str
    state: BookingState
    reason: str
    expires_at: datetime
    session_id: str | None
    replaces: int | None
    participants: tuple[Participant, ...]

    def side(self, delegation_id: int) -> tuple[Participant, ...]:
        return tuple(p for p in self.participants if p.delegation_id == delegation_id)

    def involves(self, delegation_id: int) -> bool:
        return delegation_id in (self.requester_id, self.other_id)

    def counterpart(self, delegation_id: int) -> str:
        return self.other if delegation_id == self.requester_id else self.requester


@dataclass(frozen=True, slots=True)
class DelegationRef:
    id: int
    name: str


Conflict = tuple[Session, list[Booking]]
