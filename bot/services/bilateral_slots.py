"""Finding slots for a bilateral meeting: which days, what holds the rooms and the people.

The same search answers the offer of slots and the re-check inside a booking's
transaction (`reader` is then that transaction), so what is offered and what is booked
are decided by one rule (`bot.domain.bilaterals.slot_works`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.config import SummitSettings
from bot.domain.bilaterals import (
    BilateralRules,
    Booking,
    Slot,
    SlotSearch,
    search_days,
    slots_that_work,
)
from bot.storage import bilateral_slots as held
from bot.storage.database import Reader
from bot.storage.programme import ProgrammeStore, to_timestamp

SLOTS_OFFERED = 8


class SlotFinder:
    def __init__(
        self,
        reader: Reader,
        programme: ProgrammeStore,
        rules: BilateralRules,
        summit: SummitSettings,
    ) -> None:
        self._reader = reader
        self._programme = programme
        self.rules = rules
        self._summit = summit

    async def days(self, now: datetime) -> list[date]:
        """The venue days a meeting may be on: the summit's, from today on."""
        zone = self._summit.timezone
        today = now.astimezone(zone).date()
        span = await self._programme.public_span()
        if span is None:
            return [today + timedelta(days=n) for n in range(3)]
        first, last = span[0].astimezone(zone).date(), span[1].astimezone(zone).date()
        return search_days(first, last, today)

    async def search(
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
        """Everything that decides whether a slot works, read through `reader`; `ignore` is
        a booking whose own hold does not count (the one being re-proposed)."""
        moment = to_timestamp(now)
        rooms = await held.pool(reader)
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
            room_busy=await held.room_busy(reader, rooms, start - pad, end + pad, moment, ignore),
            people_busy=await held.people_busy(reader, people, start, end, moment, ignore),
            day_counts=await held.day_counts(
                reader, delegation_ids, self.rules.zone, moment, ignore
            ),
            seats=seats,
            days=days,
            now=moment,
        )

    async def for_request(
        self, own: int, other: int, participants: Sequence[str], now: datetime
    ) -> list[Slot]:
        """Slots a new request may take. The other side is assumed to bring as many people."""
        search = await self.search(
            self._reader,
            people=participants,
            delegation_ids=(own, other),
            seats=2 * len(participants),
            days=await self.days(now),
            now=now,
        )
        return slots_that_work(search, self.rules, SLOTS_OFFERED)

    async def for_proposal(
        self, booking: Booking, participants: Sequence[str], now: datetime
    ) -> list[Slot]:
        """Slots that work for both sides now: the asking side's people and the answerer's."""
        people = [p.delegate_id for p in booking.side(booking.requester_id)] + list(participants)
        search = await self.search(
            self._reader,
            people=people,
            delegation_ids=(booking.requester_id, booking.other_id),
            seats=len(people),
            days=await self.days(now),
            now=now,
            ignore=booking.id,
        )
        return slots_that_work(search, self.rules, SLOTS_OFFERED)
