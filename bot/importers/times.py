"""Reading times as organizers and schedule tools write them.

Only the shapes SPEC §4 names are accepted, deliberately narrower than
`datetime.fromisoformat`: a date Excel re-formatted (`01/12/2026 09:00`) or a bare week
number must be refused with a hint, not guessed at. Local wall-clock times are placed in a
timezone here, where a time that a DST jump skips is refused rather than silently shifted.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.bounds import RANGE_HINT, day_in_range, moment_in_range
from bot.domain.wallclock import place
from bot.importers.issues import Invalid

_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ]"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,6})?)?"
    r"\s*(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE | re.ASCII,
)
_CLOCK = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?", re.A)
_DURATION = re.compile(r"(?P<hours>\d{1,4}):(?P<minutes>\d{2})(?::(?P<seconds>\d{2}))?", re.A)

DATETIME_HINT = "use ISO 8601 like 2026-12-01T09:00 (venue time) or 2026-12-01T09:00+03:00"


def parse_datetime(text: str, local_tz: tzinfo | None) -> datetime:
    """`2026-12-01T09:00`, with seconds, a space for the T, and optionally `Z` or an offset.

    Without an offset the time is wall-clock time in `local_tz`; with no `local_tz` (a schedule
    whose time zone is unknown) it must carry an offset.
    """
    match = _DATETIME.fullmatch(text.strip())
    if match is None:
        raise Invalid(f'"{text}" is not a date and time — {DATETIME_HINT}')
    try:
        day = date.fromisoformat(match["date"])
        clock = time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    except ValueError:
        raise Invalid(f'"{text}" is not a real date and time — {DATETIME_HINT}') from None
    if not day_in_range(day):
        raise Invalid(f'"{text}" is out of range — {RANGE_HINT}')
    naive = datetime.combine(day, clock)
    offset = match["offset"]
    if offset is None:
        if local_tz is None:
            raise Invalid(f'"{text}" has no UTC offset and the time zone is unknown')
        return _in_range(localize(naive, local_tz), text)
    return _in_range(naive.replace(tzinfo=_parse_offset(offset, text)), text)


def _in_range(moment: datetime, text: str) -> datetime:
    if not moment_in_range(moment):
        raise Invalid(f'"{text}" is out of range — {RANGE_HINT}')
    return moment


def _parse_offset(offset: str, text: str) -> tzinfo:
    if offset.upper() == "Z":
        return UTC
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise Invalid(f'"{text}" has an impossible UTC offset {offset} — {DATETIME_HINT}')
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if offset.startswith("-") else delta)


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Wall-clock time in `tz`; the first of two occurrences when clocks go back.

    A time skipped when clocks go forward does not exist; which real time the organizer meant
    is unknowable, so it is an error.
    """
    aware = place(naive, tz)
    if aware is None:
        raise Invalid(
            f"{naive.isoformat(sep='T', timespec='minutes')} does not exist in {tz}: the clocks "
            "jump over it for daylight saving time — use a time before or after the jump"
        )
    return aware


def parse_clock(text: str) -> time:
    """A schedule's `HH:MM` (or `HH:MM:SS`) start time of day."""
    match = _CLOCK.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        return time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    except ValueError:
        raise Invalid(f'start "{text}" is not a time of day — expected HH:MM like 09:30') from None


def parse_duration(text: str) -> timedelta:
    """A schedule's `HH:MM`, `H:MM` or `HH:MM:SS` duration."""
    match = _DURATION.fullmatch(text.strip())
    if match is None or int(match["minutes"]) > 59 or int(match["seconds"] or 0) > 59:
        raise Invalid(f'duration "{text}" is not a duration — expected HH:MM like 01:30')
    return timedelta(
        hours=int(match["hours"]),
        minutes=int(match["minutes"]),
        seconds=int(match["seconds"] or 0),
    )


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, or None when there is no such zone."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
