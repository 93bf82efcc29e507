"""What the Mini App shows of bilateral meetings, behind one small interface.

NOT WIRED YET: the bilateral service (requests, slots, bookings) is built on another
branch. Until the integrator passes a real provider to `WebappApi`, `NoBilaterals` is
used and the page's "Bilateral requests" (heads) and "Bilateral bookings" (organizers)
sections are empty. This is the only place that has to change: implement
`BilateralsProvider` over the bilateral service and pass it in `bot.webapp.server`.

The rights are checked by the caller before a provider is asked (only a head gets
`requests`, only an organizer gets `bookings`); a provider must still return only what
that delegation may know (SPEC §6: only the two delegations' heads, the participants
and the organizers learn that a request or meeting exists).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol, TypedDict

from bot.domain.models import Delegate
from bot.i18n import Translator


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


class NoBilaterals:
    """Until the bilateral service is wired in: nothing to show."""

    async def requests(self, head: Delegate, t: Translator) -> list[BilateralItem]:
        return []

    async def bookings(self, day: date | None, t: Translator) -> list[BilateralItem]:
        return []
