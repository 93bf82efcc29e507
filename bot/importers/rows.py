"""One CSV row to one domain value: the field rules of SPEC §4.

Each reader takes the row's cells by (lower-case) column name and appends a message for every
rule the row breaks, so the organizer sees all of a row's problems at once. A row with any
problem yields no value.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import TypeVar

from bot.domain.models import (
    AttendanceRow,
    Audience,
    Delegate,
    Role,
    Session,
    SessionKind,
    SessionStatus,
    default_audience,
)
from bot.domain.rooms import Room, RoomKind
from bot.importers.floor_maps import MapFiles, PlanImage
from bot.importers.issues import Invalid
from bot.importers.languages import normalize_language
from bot.importers.times import parse_datetime

MAX_ID_LENGTH = 64
"""Ids are short keys; a longer one is almost always another column's text in the id column."""

E = TypeVar("E", bound=StrEnum)

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"", "no", "n", "false", "0"})


class Row:
    """The cells of one row and the problems found in it so far."""

    def __init__(self, cells: Mapping[str, str]) -> None:
        self.cells = cells
        self.problems: list[str] = []

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def required(self, column: str, what: str) -> str:
        value = self.text(column)
        if not value:
            self.problems.append(f"{column} is empty — {what}")
        return value

    def identifier(self, column: str, what: str) -> str:
        value = self.required(column, what)
        if len(value) > MAX_ID_LENGTH:
            self.problems.append(
                f'{column} "{value[:20]}…" is {len(value)} characters long — use at most '
                f"{MAX_ID_LENGTH}"
            )
        return value

    def choice(self, column: str, enum: type[E], default: E) -> E:
        value = self.text(column)
        if not value:
            return default
        try:
            return enum(value.lower())
        except ValueError:
            self.problems.append(unknown_choice(column, value, [member.value for member in enum]))
            return default

    def when(self, column: str, tz: tzinfo) -> datetime | None:
        value = self.required(column, "use ISO 8601 like 2026-12-01T09:00 (venue time)")
        if not value:
            return None
        try:
            # In UTC: comparing zone-local times in a repeated DST hour is unreliable (PEP 495).
            return parse_datetime(value, tz).astimezone(UTC)
        except Invalid as problem:
            self.problems.append(f"{column} {problem.message}")
            return None


def unknown_choice(column: str, value: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(value.lower(), allowed, n=1)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return f'unknown {column} "{value}"{hint} — use one of: {", ".join(allowed)}'


def read_session(row: Row, titles: Mapping[str, str], venue_tz: tzinfo) -> Session | None:
    session_id = row.identifier("id", "every session needs an id, its stable key")
    title = row.required("title", "every session needs a title")
    start = row.when("start", venue_tz)
    end = row.when("end", venue_tz)
    if start is not None and end is not None:
        if end < start:
            row.problems.append(
                f"end ({row.text('end')}) is before start ({row.text('start')}) — a session "
                "must end after it starts"
            )
        elif end == start:
            row.problems.append(
                f"end ({row.text('end')}) is the same as start — a session must end after it starts"
            )
    room = row.required("room", "every session needs a room")
    kind = row.choice("kind", SessionKind, SessionKind.PANEL)
    audience = row.choice("audience", Audience, default_audience(kind))
    status = row.choice("status", SessionStatus, SessionStatus.SCHEDULED)
    if row.problems or start is None or end is None:
        return None
    speakers = tuple(name.strip() for name in row.text("speakers").split(";") if name.strip())
    return Session(
        id=session_id,
        title=title,
        start=start,
        end=end,
        room=room,
        track=row.text("track"),
        kind=kind,
        audience=audience,
        status=status,
        description=row.text("description"),
        speakers=speakers,
        titles={language: text for language, text in titles.items() if text},
    )


def read_delegate(row: Row) -> Delegate | None:
    delegate_id = row.identifier("id", "every delegate needs an id, their stable key")
    name = row.required("name", "every delegate needs a name")
    delegation = row.required("delegation", "every delegate belongs to a delegation")
    language: str | None = None
    if row.text("language"):
        try:
            language = normalize_language(row.text("language"))
        except Invalid as problem:
            row.problems.append(f"language: {problem.message} (or leave it empty)")
    role = row.choice("role", Role, Role.DELEGATE)
    if row.problems:
        return None
    return Delegate(id=delegate_id, name=name, delegation=delegation, language=language, role=role)


def read_attendance(row: Row) -> AttendanceRow | None:
    delegate_id = row.identifier("delegate_id", "give the id of a delegate")
    session_id = row.identifier("session_id", "give the id of a session")
    value = row.text("remove").lower()
    if value not in _YES and value not in _NO:
        row.problems.append(
            f'remove "{row.text("remove")}" is not yes or no — write yes to take the session '
            "off the delegate's agenda, or leave it empty"
        )
    if row.problems:
        return None
    return AttendanceRow(delegate_id=delegate_id, session_id=session_id, remove=value in _YES)


def _whole_number(row: Row, column: str, what: str) -> int | None:
    value = row.text(column)
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        row.problems.append(f'{column} "{value}" is not a whole number — {what}')
        return None
    if number < 0:
        row.problems.append(f"{column} {number} is negative — {what}")
        return None
    return number


def _coordinate(row: Row, column: str, limit: int) -> float | None:
    value = row.text(column)
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = float("nan")
    if not -limit <= number <= limit:  # also refuses nan and inf
        row.problems.append(
            f'{column} "{value}" is not a number from -{limit} to {limit} — write decimal '
            "degrees, like 24.7136"
        )
        return None
    return number


def _yes_no(row: Row, column: str) -> bool | None:
    value = row.text(column).lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    row.problems.append(
        f'{column} "{row.text(column)}" is not yes or no — write yes, no or nothing'
    )
    return None


def read_room(row: Row, directions: Mapping[str, str], maps: MapFiles) -> Room | None:
    """A room of the rooms file; `directions` is by language ("" for the `directions` column)."""
    name = row.required("room", "every room needs the name sessions use in their room column")
    building = row.required("building", "every room is in a building")
    floor = row.required("floor", 'give the floor as people say it, like "2" or "Ground"')
    capacity = _whole_number(row, "capacity", "give the number of seats, like 40")
    if capacity is None and not row.text("capacity"):
        row.problems.append("capacity is empty — give the number of seats, like 40")
    latitude = _coordinate(row, "latitude", 90)
    longitude = _coordinate(row, "longitude", 180)
    if bool(row.text("latitude")) != bool(row.text("longitude")):
        row.problems.append("give both latitude and longitude, or neither")
    plan: PlanImage | None = None
    if row.text("map"):
        found = maps.image(row.text("map"))
        if isinstance(found, str):
            row.problems.append(found)
        else:
            plan = found
    x = _whole_number(row, "x", "give the room's position on the map in pixels from the left")
    y = _whole_number(row, "y", "give the room's position on the map in pixels from the top")
    if bool(row.text("x")) != bool(row.text("y")):
        row.problems.append("give both x and y (the room's position on the map), or neither")
    elif row.text("x") and not row.text("map"):
        row.problems.append("x and y are positions on a map — give the map too")
    if (
        plan is not None
        and x is not None
        and y is not None
        and (x >= plan.width or y >= plan.height)
    ):
        row.problems.append(
            f'x,y ({x}, {y}) is outside the map "{row.text("map")}", which is '
            f"{plan.width}×{plan.height} pixels — x must be below {plan.width} and y "
            f"below {plan.height}"
        )
    kind = row.choice("kind", RoomKind, RoomKind.MEETING)
    accessible = _yes_no(row, "accessible")
    if row.problems or capacity is None:
        return None
    return Room(
        name=name,
        building=building,
        floor=floor,
        capacity=capacity,
        latitude=latitude,
        longitude=longitude,
        address=row.text("address"),
        map_path=str(plan.path) if plan is not None else "",
        x=x if plan is not None else None,
        y=y if plan is not None else None,
        kind=kind,
        directions={language: text for language, text in directions.items() if text},
        accessible=accessible,
    )
