"""Registration's lock-out: too many unsuccessful invite codes pause /start for a while.

Guessing a 16-character code is hopeless at this pace, and a delegate who mistypes a few
times is only kept waiting an hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

MAX_FAILED_STARTS = 5
LOCKOUT = timedelta(hours=1)


def counted_since(now: datetime) -> datetime:
    """Failed attempts after this moment count towards the lock-out."""
    return now - LOCKOUT


def locked_until(failures: Sequence[datetime]) -> datetime | None:
    """When /start works again, given the failed attempts since `counted_since` (oldest
    first); None if it works now. The lock lifts when the oldest counted attempt ages out."""
    if len(failures) < MAX_FAILED_STARTS:
        return None
    return failures[-MAX_FAILED_STARTS] + LOCKOUT
