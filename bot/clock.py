"""The time, from one place, so tests can set it instead of sleeping.

Every part of the bot that needs the time asks a `Clock`: `now()` for the wall-clock
instant (what is stored and shown), `time()` for the same as POSIX seconds (what the
database's `*_at` columns hold), and `monotonic()` for intervals and deadlines that must
not jump when the system clock is set. Nothing outside this module calls `time.time()`,
`time.monotonic()` or `datetime.now()`.
"""

from __future__ import annotations

import time as _time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...

    def time(self) -> float:
        """The current instant as POSIX seconds."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for intervals and deadlines)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def time(self) -> float:
        return _time.time()

    def monotonic(self) -> float:
        return _time.monotonic()


class SettableClock:
    """A clock that stands still until a test moves it; its monotonic seconds move with it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("SettableClock needs an aware datetime")
        self._now = start
        self._monotonic = 1000.0

    def now(self) -> datetime:
        return self._now

    def time(self) -> float:
        return self._now.timestamp()

    def monotonic(self) -> float:
        return self._monotonic

    def set(self, moment: datetime) -> None:
        if moment > self._now:
            self._monotonic += (moment - self._now).total_seconds()
        self._now = moment

    def advance(self, delta: timedelta) -> None:
        self.set(self._now + delta)
