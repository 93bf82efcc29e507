"""The one range of dates the bot accepts, anywhere a date comes in.

A summit happens in this century. Checking every date against one range at the edge (chat
arguments, button data, imported files, the command line) keeps values that cannot be
shown or shifted (year 1 minus a timezone, year 9999 plus a day) out of the database,
where one of them would break every view that reads it. The database enforces the same
range with triggers (migration 5), so no path that forgets the check can store one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

FIRST_YEAR = 2000
LAST_YEAR = 2100

EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=UTC)
EARLIEST_TIMESTAMP = int(EARLIEST.timestamp())
LATEST_TIMESTAMP = int(LATEST.timestamp())

RANGE_HINT = f"dates must lie between {FIRST_YEAR} and {LAST_YEAR}"


def day_in_range(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def moment_in_range(moment: datetime) -> bool:
    """An aware time inside the range (compared in UTC, so an offset cannot push it out)."""
    try:
        return EARLIEST <= moment.astimezone(UTC) <= LATEST
    except OverflowError:
        return False
