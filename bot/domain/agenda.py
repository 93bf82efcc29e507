"""Who sees which session, what is on a delegate's agenda, and what comes next.

These are the rules the storage queries implement in SQL for speed; the pure versions
here state them once, are unit-tested, and check the queries in
tests/storage/test_agenda_queries.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.domain.models import Audience, Session, SessionKind


def visible_to(session: Session, *, attending: bool) -> bool:
    """An `invited` session exists only for the delegates on its attendance."""
    return session.audience is Audience.ALL or attending


def on_agenda(session: Session, *, attending: bool) -> bool:
    """A delegate's agenda: every open plenary, plus every session they attend."""
    return attending or (session.kind is SessionKind.PLENARY and session.audience is Audience.ALL)


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The instants (UTC) a venue day starts and ends: 23 or 25 hours apart across DST.

    Returned in UTC because subtracting two datetimes of the same zone in Python is
    wall-clock arithmetic, which would hide the DST hour.
    """
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


@dataclass(frozen=True, slots=True)
class DayNavigation:
    previous: date | None
    next: date | None


def navigation(day: date, first: date | None, last: date | None) -> DayNavigation:
    """Where the previous/next buttons lead: neighbouring days, clamped to the summit.

    Outside the summit the buttons jump straight to its nearest end, so a delegate who
    asks before the summit starts is one press away from its first day.
    """
    if first is None or last is None:
        return DayNavigation(None, None)
    previous = None if day <= first else min(day - timedelta(days=1), last)
    following = None if day >= last else max(day + timedelta(days=1), first)
    return DayNavigation(previous, following)


@dataclass(frozen=True, slots=True)
class NextUp:
    running: tuple[Session, ...]
    upcoming: Session | None


def next_up(agenda: Sequence[Session], now: datetime) -> NextUp:
    """What is running now and what starts next, ignoring cancelled sessions."""
    live = [s for s in agenda if not s.cancelled and s.end > now]
    running = tuple(s for s in live if s.start <= now)
    upcoming = min((s for s in live if s.start > now), key=lambda s: (s.start, s.id), default=None)
    return NextUp(running, upcoming)
