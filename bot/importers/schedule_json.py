"""Schedule JSON as frab and pretalx export it (c3voc `schedule.json`).

Shape: `{"schedule": {"conference": {"time_zone_name", "days": [{"date", "day_start",
"rooms": {"<room name>": [<event>, …]}}]}}}`.

`json` gives no positions, but the organizer needs a line to find a broken event in a file
of thousands of lines; `_event_lines` recovers them with one pass over the (already validated)
text, cheap next to the decoding itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import Any

from bot.importers.issues import MAX_ROWS, ParsedFile
from bot.importers.raw_events import Conference, RawEvent
from bot.importers.schedule_events import add_events, too_many_events

SHAPE = '{"schedule": {"conference": {"days": [{"date": …, "rooms": {"Room": [events]}}]}}}'

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]')

_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)

_OTHER_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters other than tab, line feed and carriage return."""

Path = tuple[str | int, ...]


def parse_schedule_json(text: str, venue_tz: tzinfo, result: ParsedFile) -> None:
    try:
        document = _loads(text, result)
    except json.JSONDecodeError as error:
        result.error(
            error.lineno,
            f"the JSON is not valid: {error.msg} at column {error.colno} — export the schedule "
            "again, or fix the file there",
        )
        return
    except RecursionError:
        result.error(None, "the JSON is nested too deeply to be a schedule export")
        return
    except ValueError as error:  # e.g. an integer of thousands of digits
        result.error(None, f"the JSON cannot be read: {error}")
        return
    try:
        json.dumps(document, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        # `"\ud800"` decodes to a lone surrogate, which no database or chat message accepts.
        match = _LONE_SURROGATE.search(text)
        result.error(
            text.count("\n", 0, match.start()) + 1 if match else None,
            "the JSON contains a \\u escape of half a character (a lone surrogate) — export "
            "the schedule again, or fix the file there",
        )
        return
    days = _days(document)
    if days is None:
        result.error(None, f"the JSON is not a schedule export — expected the shape {SHAPE}")
        return
    count = sum(
        len(events)
        for day in days
        if isinstance(day, dict) and isinstance(day.get("rooms"), dict)
        for events in day["rooms"].values()
        if isinstance(events, list)
    )
    if count > MAX_ROWS:
        too_many_events(result)
        return
    if count == 0:
        result.error(None, f"the schedule has no events — expected the shape {SHAPE}")
        return
    lines = _object_lines(text, _is_day_or_event)
    conference = document["schedule"]["conference"]
    zone_name = conference.get("time_zone_name")
    events: list[RawEvent] = []
    for day_index, day in enumerate(days):
        day_line = lines.get(("schedule", "conference", "days", day_index), 1)
        if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
            result.error(day_line, f'day {day_index + 1} has no "rooms" object — expected {SHAPE}')
            continue
        for room_name, room_events in day["rooms"].items():
            if not isinstance(room_events, list):
                result.error(day_line, f'room "{room_name}" must hold a list of events')
                continue
            for index, raw in enumerate(room_events):
                path = ("schedule", "conference", "days", day_index, "rooms", room_name, index)
                line = lines.get(path, day_line)
                if not isinstance(raw, dict):
                    result.error(line, f'room "{room_name}" holds something that is not an event')
                    continue
                events.append(_event(raw, line, day, room_name))
    day_change = conference.get("day_change")
    add_events(
        events,
        Conference.from_name(
            zone_name if isinstance(zone_name, str) else "",
            venue_tz,
            day_change if isinstance(day_change, str) else "",
        ),
        result,
    )


def _loads(text: str, result: ParsedFile) -> Any:
    """The decoded document. Line breaks and tabs typed straight into strings are read as
    what they are, and said: frab's exporter of 2012–2013 wrote abstracts that way (MRMCD 2013,
    `tests/data/frab-mrmcd-2013.json`), and nothing else about such a string is in doubt.
    Any other control character still makes the file invalid."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if not error.msg.startswith("Invalid control character") or _OTHER_CONTROL.search(text):
            raise
        document = json.loads(text, strict=False)
        result.warn(
            error.lineno,
            "line breaks are written straight into the JSON's strings (not as \\n), as older "
            "frab exports did — they were read as line breaks",
        )
        return document


def _days(document: Any) -> list[Any] | None:
    schedule = document.get("schedule") if isinstance(document, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    days = conference.get("days") if isinstance(conference, dict) else None
    return days if isinstance(days, list) else None


def _event(raw: Mapping[str, Any], line: int, day: Mapping[str, Any], room: str) -> RawEvent:
    problems: list[str] = []

    def text(source: Mapping[str, Any], key: str) -> str:
        value = source.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.append(f'"{key}" must be text, not {type(value).__name__}')
            return ""
        return str(value).strip()

    event = RawEvent(
        line=line,
        guid=text(raw, "guid"),
        id=text(raw, "id"),
        title=text(raw, "title"),
        date=text(raw, "date"),
        start=text(raw, "start"),
        duration=text(raw, "duration"),
        end=text(raw, "end"),
        day_date=text(day, "date"),
        day_start=text(day, "day_start"),
        room=room.strip() or text(raw, "room"),
        track=text(raw, "track"),
        type=text(raw, "type"),
        abstract=text(raw, "abstract"),
        description=text(raw, "description"),
    )
    persons = raw.get("persons") or []
    names: list[str] = []
    if isinstance(persons, list):
        for person in persons:
            if isinstance(person, dict):
                names.append(
                    text(person, "public_name")
                    or text(person, "full_public_name")
                    or text(person, "name")
                )
            elif isinstance(person, str):
                names.append(person.strip())
    else:
        problems.append('"persons" must be a list')
    event.persons = tuple(names)
    event.problems = problems
    return event


def _is_day_or_event(path: Path) -> bool:
    return path[:3] == ("schedule", "conference", "days") and len(path) in (4, 7)


def _object_lines(text: str, wanted: Callable[[Path], bool]) -> dict[Path, int]:
    """The line where each wanted object or array starts, by its path of keys and indexes.

    `text` must be valid JSON. A key given twice keeps its last value, as in `json.loads`,
    so the paths agree with the decoded document.
    """
    lines: dict[Path, int] = {}
    # Each open container: its path, whether it is an object, its current key or index.
    stack: list[tuple[Path, bool, list[str | int]]] = []
    expecting_key = False
    line, counted = 1, 0
    for match in _TOKEN.finditer(text):
        lexeme = match.group()
        if lexeme in "{[":
            path: Path = ()
            if stack:
                parent_path, _, slot = stack[-1]
                path = (*parent_path, slot[0])
            if wanted(path):
                line += text.count("\n", counted, match.start())
                counted = match.start()
                lines[path] = line
            stack.append((path, lexeme == "{", ["" if lexeme == "{" else 0]))
            expecting_key = lexeme == "{"
        elif lexeme in "}]":
            stack.pop()
            expecting_key = False
        elif lexeme == ",":
            _, is_object, slot = stack[-1]
            if is_object:
                expecting_key = True
            else:
                slot[0] = int(slot[0]) + 1
        elif lexeme == ":":
            expecting_key = False
        elif expecting_key:
            stack[-1][2][0] = json.loads(lexeme)
    return lines
