"""Who sees which session, what is on a delegate's agenda, and what comes next.

These are the rules the storage queries implement in SQL for speed; the pure versions
here state them once, are unit-tested, and check the queries in
tests/storage/test_agenda_queries.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import Enum

from bot.domain.models import Audience, Session, SessionKind


def visible_to(session: Session, *, attending: bool) -> bool:
    """An `invited` session exists only for the delegates on its attendance."""
    return session.audience is Audience.ALL or attending


def on_agenda(session: Session, *, attending: bool) -> bool:
    """A delegate's agenda: every open plenary, plus every session they attend."""
    return attending or (session.kind is SessionKind.PLENARY and session.audience is Audience.ALL)


def open_plenary(session: Session) -> bool:
    """On every delegate's agenda whatever they choose: `on_agenda` without attending."""
    return on_agenda(session, attending=False)


class NotChoosable(Enum):
    """Why a delegate may not add a session to their agenda or take it off."""

    CANCELLED = "cancelled"
    OPEN_PLENARY = "open_plenary"
    """Already on everyone's agenda, and staying there."""
    ASSIGNED = "assigned"
    """Invited: the organizers decide who attends."""


def choice_refused(session: Session) -> NotChoosable | None:
    """Whether a delegate may add or remove this session themselves (None: they may)."""
    if session.cancelled:
        return NotChoosable.CANCELLED
    if open_plenary(session):
        return NotChoosable.OPEN_PLENARY
    if session.private:
        return NotChoosable.ASSIGNED
    return None


def still_listed(session: Session, day_end: datetime, now: datetime) -> bool:
    """A cancelled session stays listed (marked) until the end of the day it was on."""
    return not session.cancelled or day_end > now


def now_and_next(agenda: Sequence[Session], now: datetime) -> tuple[Session | None, Session | None]:
    """The first item running at `now` and the first starting after it, in agenda order."""
    current = next((s for s in agenda if s.start <= now < s.end), None)
    upcoming = next((s for s in agenda if s.start > now), None)
    return current, upcoming


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
