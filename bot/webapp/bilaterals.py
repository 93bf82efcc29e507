"""What the Mini App shows of bilateral meetings, behind one small interface.

`ServiceBilaterals` reads them from the same bilateral service as /bilaterals and
/bookings in chat, so the page and the chat always agree.

The rights are checked by the caller before a provider is asked (only a head gets
`requests`, only an organizer gets `bookings`); a provider must still return only what
that delegation may know (SPEC §6: only the two delegations' heads, the participants
and the organizers learn that a request or meeting exists).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol, TypedDict

from bot.domain.bilaterals import Booking
from bot.domain.models import Delegate
from bot.i18n import Translator
from bot.views.bilaterals import state_label

if TYPE_CHECKING:
    from bot.telegram.context import Services


class BilateralItem(TypedDict):
    """One request or booking, already in the viewer's language."""

    id: str
    when: str
    room: str
    other: str
    state: str


class BilateralsProvider(Protocol):
    async def requests(self, head: Delegate, t: Translator) -> list[BilateralItem]:
        """The requests and meetings of the head's delegation."""
        ...

    async def bookings(self, day: date | None, t: Translator) -> list[BilateralItem]:
        """Every bilateral room booking (of `day`, or all), for organizers."""
        ...


class ServiceBilaterals:
    """The bilateral service's requests and bookings, as the page shows them."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def requests(self, head: Delegate, t: Translator) -> list[BilateralItem]:
        service = self._services.bilaterals
        delegation = await service.head_of(head)
        if delegation is None:
            return []
        now = self._services.clock.now()
        bookings = await service.of_delegation(delegation.id, now)
        return [
            _item(t, b, b.requester if b.other_id == delegation.id else b.other) for b in bookings
        ]

    async def bookings(self, day: date | None, t: Translator) -> list[BilateralItem]:
        now = self._services.clock.now()
        start = end = None
        if day is not None:
            zone = self._services.settings.summit.timezone
            start = datetime.combine(day, time(0), zone)
            end = start + timedelta(days=1)
        found = await self._services.bilaterals.between(start, end, now)
        return [_item(t, b, f"{b.requester} – {b.other}") for b in found]


def _item(t: Translator, booking: Booking, other: str) -> BilateralItem:
    start, end = booking.start, booking.end
    when = f"{t.short_day(t.venue_date(start))} {t.time(start)}–{t.time(end)}"
    return BilateralItem(
        id=str(booking.id), when=when, room=booking.room, other=other, state=state_label(t, booking)
    )


class NoBilaterals:
    """When bilateral meetings are switched off (`bilaterals.enabled = false`)."""

    async def requests(self, head: Delegate, t: Translator) -> list[BilateralItem]:
        return []

    async def bookings(self, day: date | None, t: Translator) -> list[BilateralItem]:
        return []
