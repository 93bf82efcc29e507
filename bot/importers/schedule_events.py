"""Conference-tool events (Frab, pretalx, Pentabarf) as summit sessions.

The XML and JSON exports carry the same fields with the same meanings (c3voc schedule
schema), so each format module only lifts its events into `RawEvent` and this module applies
the rules once: the key, the times, the text, and the mapping onto `Session` (SPEC §4:
sessions only, audience = all).

What is wrong stays an error (the file is refused whole); what publishing tools and schedule
apps accept is imported by a stated rule and listed as a warning (docs/data-formats.md):

- **Times**: an event's `date` (ISO 8601, usually with offset) wins. When its `start` says
  another time of day, the event is listed. Older exports give only the day's date and a
  wall-clock `start`; a conference "day" then runs past midnight (31C3: 11:00 until 04:00),
  so a start earlier than the day change belongs to the next calendar date. The day change
  is the day's `start`/`day_start`, else the conference's `day_change`, else the earliest
  first event of the day's rooms (each room lists its events in time order).
- **Repeated guids** (a workshop held twice, a break listed in two rooms): each occurrence
  is its own session. Ordered by start and room, the first keeps the guid as its id and the
  others get `<guid>#2`, `<guid>#3`…, so re-imports find the same sessions again. An exact
  repeat (same start, room and title) is imported once.
- **Zero or missing durations** (markers such as "doors open"): skipped, each listed. A
  session lasts some time (reminders, agendas and calendars rely on it).
- **Time zone**: a `time_zone_name` (or offsets) other than the venue's is converted to
  venue time and said so; a file with neither is read as venue time, and that is said too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.domain.bounds import RANGE_HINT, day_in_range
from bot.domain.models import Audience, Session, SessionKind
from bot.importers.html_text import clean_line, plain_text
from bot.importers.issues import MAX_ROWS, Invalid, Located, ParsedFile
from bot.importers.rows import MAX_ID_LENGTH
from bot.importers.times import localize, parse_clock, parse_datetime, parse_duration, zone

REPEAT_MARK = "#"
"""Joins a repeated guid and the occurrence number in a session id (`<guid>#2`)."""


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
        title = f' "{clean_line(self.title)}"' if self.title else ""
        return f"event {self.key}{title}" if self.key else f"event{title} (no guid or id)"


@dataclass(frozen=True)
class Conference:
    """The schedule's time zone for wall-clock times (None when it names an unknown zone),
    the venue's, and the conference's `day_change` when the file gives one."""

    zone: tzinfo | None
    zone_name: str
    venue: tzinfo
    named: bool = False
    day_change: time | None = None

    @staticmethod
    def from_name(name: str, venue_tz: tzinfo, day_change: str = "") -> Conference:
        """The zone `time_zone_name` names, else the venue's (31C3 names none)."""
        change: time | None = None
        if day_change.strip():
            try:
                change = parse_clock(day_change)
            except Invalid:
                change = None
        if not name.strip():
            return Conference(venue_tz, str(venue_tz), venue_tz, False, change)
        return Conference(zone(name), name.strip(), venue_tz, True, change)


def too_many_events(result: ParsedFile) -> None:
    result.errors.clear()
    result.sessions.clear()
    result.error(
        None,
        f"the schedule has more than {MAX_ROWS:,} events — export it in parts (for example one "
        "file per day or per room) and import them one after another",
    )


def add_events(events: Sequence[RawEvent], conference: Conference, result: ParsedFile) -> None:
    """Append a session for each good event to `result`, an error for each problem and a
    warning for each rule applied."""
    day_changes = _inferred_day_changes(events)
    read: list[tuple[RawEvent, Session]] = []
    for event in events:
        session, problems = _session(event, conference, day_changes, result)
        for problem in problems:
            result.error(event.line, f"{event.label}: {problem}")
        if session is not None and not problems:
            read.append((event, session))
    _zone_warning(conference, read, result)
    for event, session in _distinct_ids(read, {e.key for e in events}, result):
        result.sessions.append(Located(event.line, session))


def _session(
    event: RawEvent,
    conference: Conference,
    day_changes: dict[str, time],
    result: ParsedFile,
) -> tuple[Session | None, list[str]]:
    problems = list(event.problems)
    title = clean_line(event.title)
    room = clean_line(event.room)
    if not event.key:
        problems.append("has no guid or id — the key that lets a re-import update the session")
    elif len(event.key) > MAX_ID_LENGTH:
        problems.append(f"its guid/id is longer than {MAX_ID_LENGTH} characters")
    if not title:
        problems.append("has no title")
    if not room:
        problems.append("has no room")
    start = end = None
    try:
        # In UTC, so that adding a duration counts elapsed time even across a DST change.
        start = _start(event, conference, day_changes, result).astimezone(UTC)
        end = _end(event, start, conference)
    except Invalid as problem:
        problems.append(problem.message)
    if start is None or end is None or problems:
        return None, problems
    if end == start:
        _skip_marker(event, start, conference, result)
        return None, []
    session = Session(
        id=event.key,
        title=title,
        start=start,
        end=end,
        room=room,
        track=clean_line(event.track),
        kind=_kind(event.type),
        audience=Audience.ALL,
        description=plain_text(event.abstract) or plain_text(event.description),
        speakers=tuple(name for name in (clean_line(p) for p in event.persons) if name),
    )
    return session, problems


def _kind(event_type: str) -> SessionKind:
    """A type that names one of the summit's kinds (as our export writes them) keeps it."""
    try:
        return SessionKind(event_type.strip().lower())
    except ValueError:
        return SessionKind.PANEL


def _start(
    event: RawEvent, conference: Conference, day_changes: dict[str, time], result: ParsedFile
) -> datetime:
    if event.date:
        try:
            start = parse_datetime(event.date, conference.zone)
        except Invalid as problem:
            raise Invalid(f"date {problem.message}{_zone_hint(conference)}") from None
        _check_start_agrees(event, start, conference, result)
        return start
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
            day_start = parse_datetime(event.day_start, UTC).replace(tzinfo=None)
        except Invalid:
            raise Invalid(
                f'has only a start time ({event.start}) and its day\'s start "{event.day_start}" '
                "is not a date and time like 2014-12-27T11:00:00+01:00"
            ) from None
        if wall < day_start:
            wall += timedelta(days=1)  # after midnight, still the same conference day
    else:
        change = conference.day_change or day_changes.get(event.day_date)
        if change is not None and clock < change:
            wall += timedelta(days=1)
            result.warn(
                event.line,
                f"{event.label}: starts at {event.start} on the day of {event.day_date}, before "
                f"the day changes at {change.strftime('%H:%M')} — taken as the night after, "
                f"{wall.date().isoformat()} (frab day-change convention)",
            )
    if conference.zone is None:
        raise Invalid(f"its start {event.start} is wall-clock time{_zone_hint(conference)}")
    try:
        return localize(wall, conference.zone)
    except Invalid as problem:
        raise Invalid(f"start {problem.message}") from None


def _check_start_agrees(
    event: RawEvent, start: datetime, conference: Conference, result: ParsedFile
) -> None:
    """`start` should be `date`'s time of day, as written or in the schedule's zone."""
    if not event.start:
        return
    try:
        clock = parse_clock(event.start)
    except Invalid:
        return  # the date is what counts; a broken redundant field is not worth refusing
    readings = {start.time().replace(tzinfo=None)}
    if conference.zone is not None:
        readings.add(start.astimezone(conference.zone).time())
    # Minutes only: JSON's `start` pattern has no seconds, `date` may.
    if any((clock.hour, clock.minute) == (r.hour, r.minute) for r in readings):
        return
    venue = start.astimezone(conference.venue)
    result.warn(
        event.line,
        f"{event.label}: date {event.date} and start {event.start} disagree — the date is "
        f"used (it carries the full date and UTC offset): {venue.strftime('%Y-%m-%d %H:%M')} "
        "venue time",
    )


def _end(event: RawEvent, start: datetime, conference: Conference) -> datetime:
    """The end in UTC; `start` is in UTC. Equal to `start` for a marker."""
    if event.end:
        try:
            end = parse_datetime(event.end, conference.zone).astimezone(UTC)
        except Invalid as problem:
            raise Invalid(f"end {problem.message}{_zone_hint(conference)}") from None
        if end < start:
            raise Invalid(
                f'ends ("{event.end}") before it starts — an event must not end before it starts'
            )
        return end
    if event.duration:
        return start + parse_duration(event.duration)
    return start


def _skip_marker(
    event: RawEvent, start: datetime, conference: Conference, result: ParsedFile
) -> None:
    length = f'duration "{event.duration}"' if event.duration else "no duration"
    if event.end:
        length = "the same start and end"
    result.warn(
        event.line,
        f'{event.label}: {length} — a marker (like "doors open") at '
        f"{start.astimezone(conference.venue).strftime('%Y-%m-%d %H:%M')} venue time, skipped: "
        "the programme holds sessions that last some time",
    )


def _inferred_day_changes(events: Iterable[RawEvent]) -> dict[str, time]:
    """For each day date: the earliest time at which one of its rooms opens.

    Used only for events that have neither a `date` nor a `day_start`. Exports list each
    room's events in time order, so a room's first event is where its day begins; a later
    event whose clock time is earlier than every room's first one is after midnight (31C3:
    rooms open at 11:00, so 01:00 is the night after).
    """
    first_in_room: dict[tuple[str, str], int] = {}
    for event in events:
        if event.date or event.day_start or not event.day_date:
            continue
        try:
            clock = parse_clock(event.start)
        except Invalid:
            continue
        first_in_room.setdefault((event.day_date, event.room), clock.hour * 60 + clock.minute)
    changes: dict[str, time] = {}
    for (day, _), minutes in first_in_room.items():
        opening = time(minutes // 60, minutes % 60)
        if day not in changes or opening < changes[day]:
            changes[day] = opening
    return changes


def _distinct_ids(
    read: list[tuple[RawEvent, Session]], keys: set[str], result: ParsedFile
) -> list[tuple[RawEvent, Session]]:
    """Every occurrence of a repeated key as its own session, with a stable id."""
    groups: dict[str, list[tuple[RawEvent, Session]]] = {}
    for event, session in read:
        groups.setdefault(session.id, []).append((event, session))
    kept: list[tuple[RawEvent, Session]] = []
    for key, group in groups.items():
        if len(group) == 1:
            kept.extend(group)
            continue
        group.sort(key=lambda item: (item[1].start, item[1].room, item[0].line))
        seen: set[tuple[datetime, str, str]] = set()
        numbered: list[tuple[RawEvent, Session]] = []
        for event, session in group:
            identity = (session.start, session.room, session.title)
            if identity in seen:
                result.warn(
                    event.line,
                    f"{event.label}: listed again with the same time, room and title — "
                    "imported once",
                )
                continue
            seen.add(identity)
            number = len(numbered) + 1
            new_id = key if number == 1 else f"{key}{REPEAT_MARK}{number}"
            if number > 1 and (new_id in keys or len(new_id) > MAX_ID_LENGTH):
                result.error(
                    event.line,
                    f"{event.label}: repeats its guid, and the id {new_id} it would get is "
                    "another event's or too long — give each event its own guid",
                )
                continue
            numbered.append((event, replace(session, id=new_id)))
        kept.extend(numbered)
        if len(numbered) > 1:
            lines = ", ".join(str(event.line) for event, _ in numbered)
            ids = ", ".join(session.id for _, session in numbered)
            what = "guid" if numbered[0][0].guid else "id"
            result.warn(
                numbered[0][0].line,
                f"{what} {key} is used by {len(numbered)} events (lines {lines}): each is "
                f"its own session, ordered by start and room — ids {ids}",
            )
    kept.sort(key=lambda item: item[0].line)
    return kept


def _zone_warning(
    conference: Conference, read: Sequence[tuple[RawEvent, Session]], result: ParsedFile
) -> None:
    """Say when the file's times are in another zone than the venue's (judged at the first
    event, so that the zones' daylight saving time is that of the summit)."""
    if not read:
        return
    venue = read[0][1].start.astimezone(conference.venue)
    if conference.named and conference.zone is not None:
        local = read[0][1].start.astimezone(conference.zone)
        if local.utcoffset() != venue.utcoffset():
            result.warn(
                None,
                f"the schedule's time zone is {conference.zone_name}, the venue's is "
                f"{conference.venue}: times were converted to venue time (e.g. "
                f"{local.strftime('%H:%M')} {conference.zone_name} = "
                f"{venue.strftime('%H:%M')} venue time)",
            )
        return
    for event, session in read:
        try:
            written = parse_datetime(event.date, None) if event.date else None
        except Invalid:
            continue  # no offset: venue time
        if written is None:
            continue
        local = session.start.astimezone(conference.venue)
        if written.utcoffset() != local.utcoffset():
            result.warn(
                None,
                f"the schedule's times carry the UTC offset {written.strftime('%z')}, the venue "
                f"({conference.venue}) is at {local.strftime('%z')}: times were converted to "
                f"venue time (e.g. {written.strftime('%H:%M')} in the file = "
                f"{local.strftime('%H:%M')} venue time)",
            )
        return
    # Neither a zone name nor a single offset (older Pentabarf exports such as FOSDEM 2010):
    # the wall-clock times can only be read as venue time, which is wrong if the conference
    # was elsewhere — so the organizer is told rather than left to find out from the agenda.
    first = read[0][1].start.astimezone(conference.venue)
    result.warn(
        None,
        "the schedule names no time zone (no time_zone_name, no UTC offsets): its times were "
        f"read as venue time ({conference.venue}), e.g. {first.strftime('%Y-%m-%d %H:%M')} — "
        "if the programme was published for another place, add its time_zone_name "
        "(like Europe/Brussels) to the file",
    )


def _zone_hint(conference: Conference) -> str:
    if conference.zone is not None:
        return ""
    return (
        f' (the schedule\'s time_zone_name "{conference.zone_name}" is not a known time zone — '
        "use an IANA name like Europe/Berlin)"
    )
