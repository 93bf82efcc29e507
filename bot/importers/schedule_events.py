"""Conference-tool events (Frab, pretalx, Pentabarf) as summit sessions.

The XML and JSON exports carry the same fields with the same meanings (c3voc schedule
schema), so each format module only lifts its events into `RawEvent` and this module applies
the rules once: the key, the times, and the mapping onto `Session` (SPEC §4: sessions only,
audience = all).

Times: an event's `date` (full ISO 8601 with offset) is authoritative. Older exports give only
the day's date and a wall-clock `start`; a conference "day" then runs past midnight (31C3:
11:00 until 04:00 the next morning), so a start earlier than the day's own start time belongs
to the next calendar date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from bot.domain.bounds import RANGE_HINT, day_in_range
from bot.domain.models import Audience, Session, SessionKind
from bot.importers.issues import MAX_ROWS, Invalid, Located, ParsedFile
from bot.importers.rows import MAX_ID_LENGTH
from bot.importers.times import localize, parse_clock, parse_datetime, parse_duration, zone


@dataclass
class RawEvent:
    """One event's fields as text, as found in the file ("" when absent)."""

    line: int
    guid: str = ""
    id: str = ""
    title: str = ""
    date: str = ""
    start: str = ""
    duration: str = ""
    end: str = ""
    day_date: str = ""
    day_start: str = ""
    room: str = ""
    track: str = ""
    type: str = ""
    persons: tuple[str, ...] = ()
    abstract: str = ""
    description: str = ""
    problems: list[str] = field(default_factory=list)
    """Problems the format module found (e.g. a field of the wrong JSON type)."""

    @property
    def key(self) -> str:
        return self.guid or self.id

    @property
    def label(self) -> str:
        """How messages name the event, so the organizer can find it in the file."""
        title = f' "{self.title}"' if self.title else ""
        return f"event {self.key}{title}" if self.key else f"event{title} (no guid or id)"


@dataclass(frozen=True)
class Conference:
    """The schedule's time zone for wall-clock times; None when it names an unknown zone."""

    zone: tzinfo | None
    zone_name: str

    @staticmethod
    def from_name(name: str, venue_tz: tzinfo) -> Conference:
        """The zone `time_zone_name` names, else the venue's (31C3 names none)."""
        if not name.strip():
            return Conference(venue_tz, str(venue_tz))
        return Conference(zone(name), name.strip())


def too_many_events(result: ParsedFile) -> None:
    result.errors.clear()
    result.sessions.clear()
    result.error(
        None,
        f"the schedule has more than {MAX_ROWS:,} events — export it in parts (for example one "
        "file per day or per room) and import them one after another",
    )


def add_events(events: Iterable[RawEvent], conference: Conference, result: ParsedFile) -> None:
    """Append a session for each good event to `result`, and an error for each problem."""
    first_line: dict[str, int] = {}
    for event in events:
        session, problems = _session(event, conference)
        key = event.key
        if key in first_line:
            what = "guid" if event.guid else "id"
            problems.append(
                f"has the same {what} as the event on line {first_line[key]} — each event "
                f"needs its own {what}"
            )
        elif key:
            first_line[key] = event.line
        for problem in problems:
            result.error(event.line, f"{event.label}: {problem}")
        if session is not None and not problems:
            result.sessions.append(Located(event.line, session))


def _session(event: RawEvent, conference: Conference) -> tuple[Session | None, list[str]]:
    problems = list(event.problems)
    if not event.key:
        problems.append("has no guid or id — the key that lets a re-import update the session")
    elif len(event.key) > MAX_ID_LENGTH:
        problems.append(f"its guid/id is longer than {MAX_ID_LENGTH} characters")
    if not event.title:
        problems.append("has no title")
    if not event.room:
        problems.append("has no room")
    start = end = None
    try:
        # In UTC, so that adding a duration counts elapsed time even across a DST change.
        start = _start(event, conference).astimezone(UTC)
        end = _end(event, start, conference)
    except Invalid as problem:
        problems.append(problem.message)
    if start is None or end is None or problems:
        return None, problems
    session = Session(
        id=event.key,
        title=event.title,
        start=start,
        end=end,
        room=event.room,
        track=event.track,
        kind=SessionKind.WORKSHOP if event.type.lower() == "workshop" else SessionKind.PANEL,
        audience=Audience.ALL,
        description=event.abstract or event.description,
        speakers=tuple(name for name in event.persons if name),
    )
    return session, problems


def _start(event: RawEvent, conference: Conference) -> datetime:
    if event.date:
        try:
            return parse_datetime(event.date, conference.zone)
        except Invalid as problem:
            raise Invalid(f"date {problem.message}{_zone_hint(conference)}") from None
    if not event.start:
        raise Invalid("has neither a date nor a start time")
    clock = parse_clock(event.start)
    try:
        day = date.fromisoformat(event.day_date)
    except ValueError:
        raise Invalid(
            f'has only a start time ({event.start}) and its day\'s date "{event.day_date}" is '
            "not a date like 2014-12-27"
        ) from None
    if not day_in_range(day):
        raise Invalid(f'its day "{event.day_date}" is out of range — {RANGE_HINT}')
    wall = datetime.combine(day, clock)
    if event.day_start:
        try:
            # Only its wall-clock time matters, so any zone will do for a start without offset.
            day_start = parse_datetime(event.day_start, UTC)
        except Invalid:
            raise Invalid(
                f'has only a start time ({event.start}) and its day\'s start "{event.day_start}" '
                "is not a date and time like 2014-12-27T11:00:00+01:00"
            ) from None
        if wall < day_start.replace(tzinfo=None):
            wall += timedelta(days=1)  # after midnight, still the same conference day
    if conference.zone is None:
        raise Invalid(f"its start {event.start} is wall-clock time{_zone_hint(conference)}")
    try:
        return localize(wall, conference.zone)
    except Invalid as problem:
        raise Invalid(f"start {problem.message}") from None


def _end(event: RawEvent, start: datetime, conference: Conference) -> datetime:
    """The end in UTC; `start` is in UTC."""
    if event.end:
        try:
            end = parse_datetime(event.end, conference.zone).astimezone(UTC)
        except Invalid as problem:
            raise Invalid(f"end {problem.message}{_zone_hint(conference)}") from None
        if end <= start:
            raise Invalid(
                f'ends ("{event.end}") before it starts — an event must end after it starts'
            )
        return end
    if not event.duration:
        raise Invalid("has no duration — expected HH:MM like 01:30")
    duration = parse_duration(event.duration)
    if not duration:
        raise Invalid(f'duration "{event.duration}" is zero — a session must last some time')
    return start + duration


def _zone_hint(conference: Conference) -> str:
    if conference.zone is not None:
        return ""
    return (
        f' (the schedule\'s time_zone_name "{conference.zone_name}" is not a known time zone — '
        "use an IANA name like Europe/Berlin)"
    )
