"""Reading bilaterals: who heads which delegation, the bookings one may see, free slots.

Privacy (SPEC §6): every lookup of one booking goes through `_visible`, which answers
None both for a request that does not exist and for one the asker's delegation has no
part in. The steps that change bookings are in `bot.services.bilaterals`, which extends
this class.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import Clock, SystemClock
from bot.config import BilateralSettings, SummitSettings
from bot.domain.bilaterals import BilateralRules, Booking, DelegationRef, PoolRoom, Slot
from bot.domain.models import Delegate, Role
from bot.i18n import Catalogs
from bot.services.bilateral_meetings import Meetings
from bot.services.bilateral_slots import SlotFinder
from bot.services.notices import NoticeSettings
from bot.storage import bilateral_slots as held
from bot.storage import bilaterals as store
from bot.storage import delegations as delegation_store
from bot.storage.database import Database, Reader
from bot.storage.programme import ProgrammeStore, to_timestamp


class BilateralQueries:
    """What heads and organizers may see of bilaterals, and the slots they may choose."""

    def __init__(
        self,
        database: Database,
        programme: ProgrammeStore,
        settings: BilateralSettings,
        summit: SummitSettings,
        catalogs: Catalogs,
        notices: NoticeSettings,
        clock: Clock | None = None,
    ) -> None:
        self._db = database
        self.settings = settings
        self._notices = notices
        self._clock = clock or SystemClock()
        self.rules = BilateralRules(
            slot_minutes=settings.slot_minutes,
            turnaround_minutes=settings.turnaround_minutes,
            per_delegation_per_day=settings.per_delegation_per_day,
            hours=settings.hours,
            zone=summit.timezone,
        )
        self._slots = SlotFinder(database, programme, self.rules, summit)
        self._meetings = Meetings(catalogs, notices, summit.organizers)

    # --- who may do what -------------------------------------------------------------

    async def head_of(self, delegate: Delegate | None) -> DelegationRef | None:
        """The delegation this delegate heads, or None if they are not a head."""
        if delegate is None or delegate.role is not Role.HEAD:
            return None
        return await delegation_store.delegation_of(self._db, delegate.id)

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
        return await held.pool(self._db)

    async def delegations(self, excluding: int) -> list[DelegationRef]:
        return [d for d in await delegation_store.delegations(self._db) if d.id != excluding]

    async def members(self, delegation_id: int) -> list[Delegate]:
        return await delegation_store.members(self._db, delegation_id)

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

    # --- the search (bot.services.bilateral_slots) ---------------------------------------

    async def slots_for_request(
        self, own: int, other: int, participants: Sequence[str], now: datetime
    ) -> list[Slot]:
        """Slots a new request may take. The other side is assumed to bring as many people."""
        return await self._slots.for_request(own, other, participants, now)

    async def slots_for_proposal(
        self, booking: Booking, participants: Sequence[str], now: datetime
    ) -> list[Slot]:
        """Slots that work for both sides now: the asking side's people and the answerer's."""
        return await self._slots.for_proposal(booking, participants, now)
