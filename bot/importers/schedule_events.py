"""Conference-tool events (Frab, pretalx, Pentabarf) as summit sessions.

The XML and JSON exports carry the same fields with the same meanings (c3voc schedule
schema), so each format module only lifts its events into `RawEvent` (`raw_events`) and this
module applies the rules once: the key, the text, the speakers and the mapping onto
`Session` (SPEC §4: sessions only, audience = all).

What is wrong stays an error (the file is refused whole); what publishing tools and schedule
apps accept is imported by a stated rule and listed as a warning (docs/data-formats.md).
The rules live one concept to a module:

- times, the day change and markers without duration: `event_times`;
- repeated guids: `event_ids`;
- another time zone than the venue's, or none: `event_zones`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, time

from bot.domain.models import Audience, Session, SessionKind
from bot.importers.event_ids import distinct_ids
from bot.importers.event_times import end_of, inferred_day_changes, skip_marker, start_of
from bot.importers.event_zones import zone_warning
from bot.importers.html_text import clean_line, plain_text
from bot.importers.issues import MAX_ROWS, Invalid, Located, ParsedFile
from bot.importers.raw_events import Conference, RawEvent
from bot.importers.rows import MAX_ID_LENGTH

__all__ = ["Conference", "RawEvent", "add_events", "too_many_events"]


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
    day_changes = inferred_day_changes(events)
    read: list[tuple[RawEvent, Session]] = []
    for event in events:
        session, problems = _session(event, conference, day_changes, result)
        for problem in problems:
            result.error(event.line, f"{event.label}: {problem}")
        if session is not None and not problems:
            read.append((event, session))
    zone_warning(conference, read, result)
    for event, session in distinct_ids(read, {e.key for e in events}, result):
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
        start = start_of(event, conference, day_changes, result).astimezone(UTC)
        end = end_of(event, start, conference)
    except Invalid as problem:
        problems.append(problem.message)
    if start is None or end is None or problems:
        return None, problems
    if end == start:
        skip_marker(event, start, conference, result)
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
