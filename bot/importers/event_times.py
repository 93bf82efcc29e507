"""When a schedule event starts and ends, including the day change and markers without length.

- **Times**: an event's `date` (ISO 8601, usually with offset) wins. When its `start` says
  another time of day, the event is listed. Older exports give only the day's date and a
  wall-clock `start`; a conference "day" then runs past midnight (31C3: 11:00 until 04:00),
  so a start earlier than the day change belongs to the next calendar date. The day change
  is the day's `start`/`day_start`, else the conference's `day_change`, else the earliest
  first event of the day's rooms (each room lists its events in time order).
- **Zero or missing durations** (markers such as "doors open"): skipped, each listed. A
  session lasts some time (reminders, agendas and calendars rely on it).

What cannot be read raises `Invalid` (an error for the event); a rule applied is a warning
on the `ParsedFile`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.bounds import RANGE_HINT, day_in_range
from bot.importers.event_zones import zone_hint
from bot.importers.issues import Invalid, ParsedFile
from bot.importers.raw_events import Conference, RawEvent
from bot.importers.times import localize, parse_clock, parse_datetime, parse_duration


def start_of(
    event: RawEvent, conference: Conference, day_changes: dict[str, time], result: ParsedFile
) -> datetime:
    if event.date:
        try:
            start = parse_datetime(event.date, conference.zone)
        except Invalid as problem:
            raise Invalid(f"date {problem.message}{zone_hint(conference)}") from None
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
        raise Invalid(f"its start {event.start} is wall-clock time{zone_hint(conference)}")
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


def end_of(event: RawEvent, start: datetime, conference: Conference) -> datetime:
    """The end in UTC; `start` is in UTC. Equal to `start` for a marker."""
    if event.end:
        try:
            end = parse_datetime(event.end, conference.zone).astimezone(UTC)
        except Invalid as problem:
            raise Invalid(f"end {problem.message}{zone_hint(conference)}") from None
        if end < start:
            raise Invalid(
                f'ends ("{event.end}") before it starts — an event must not end before it starts'
            )
        return end
    if event.duration:
        return start + parse_duration(event.duration)
    return start


def skip_marker(
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


def inferred_day_changes(events: Iterable[RawEvent]) -> dict[str, time]:
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
