"""Domain values and translators for the view tests: fixed times in the venue's zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.bilaterals import Booking, BookingState, Participant
from bot.domain.models import Session
from bot.i18n import FSI, PDI, Catalogs
from bot.reply import MAX_CALLBACK_DATA, MAX_MESSAGE, Button, Reply, utf16_length

VENUE = ZoneInfo("Asia/Riyadh")  # UTC+3 all year
CATALOGS = Catalogs.load(VENUE)
EN = CATALOGS.get("en")
FR = CATALOGS.get("fr")
AR = CATALOGS.get("ar")
DAY = date(2026, 12, 1)  # a Tuesday


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    """A moment given on the venue's clock, in UTC as storage returns it: a view that
    forgets to convert shows the wrong hour (and, near midnight, the wrong day)."""
    return datetime.combine(day, time(hour, minute), VENUE).astimezone(UTC)


def session(
    session_id: str = "panel-1",
    title: str = "Panel",
    hour: int = 9,
    *,
    minutes: int = 60,
    room: str = "Hall A",
    day: date = DAY,
    **fields: Any,
) -> Session:
    start = at(hour, day=day)
    return Session(session_id, title, start, start + timedelta(minutes=minutes), room, **fields)


CHILE, PERU = 1, 2


def booking(**fields: Any) -> Booking:
    """Chile asks Peru for 30 minutes in Room B at 10:00; pending until 08:00."""
    values: dict[str, Any] = {
        "id": 12,
        "requester_id": CHILE,
        "requester": "Chile & <Co>",
        "other_id": PERU,
        "other": "Peru <P>",
        "requested_by": "7",
        "room": "Room B",
        "start": at(10),
        "end": at(10, 30),
        "topic": "Fish <quotas> & more",
        "state": BookingState.PENDING,
        "reason": "",
        "expires_at": at(8),
        "session_id": None,
        "replaces": None,
        "participants": (
            Participant("7", "Ana <Ruiz>", CHILE),
            Participant("9", "Luis", PERU),
        ),
    }
    values.update(fields)
    return Booking(**values)


def buttons(replies: Reply | Iterable[Reply]) -> list[Button]:
    items = [replies] if isinstance(replies, Reply) else list(replies)
    return [button for reply in items for row in reply.buttons for button in row]


def data(replies: Reply | Iterable[Reply]) -> list[str | None]:
    return [button.data for button in buttons(replies)]


def assert_fits(replies: Reply | Iterable[Reply]) -> None:
    """Every message within Telegram's 4,096 characters, every callback within 64 bytes."""
    items = [replies] if isinstance(replies, Reply) else list(replies)
    assert items
    for reply in items:
        assert utf16_length(reply.text) <= MAX_MESSAGE
        for button in buttons(reply):
            assert button.data is None or len(button.data.encode()) <= MAX_CALLBACK_DATA


def isolated(text: str) -> str:
    """A value as a right-to-left translation shows it."""
    return f"{FSI}{text}{PDI}"
