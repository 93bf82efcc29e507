"""The four CSV files of SPEC §4: telling them apart by header, and walking their rows.

Organizers make these files in spreadsheets, so the reader is forgiving where spreadsheets
differ harmlessly (BOM, CRLF, `;` as separator in some locales, padding spaces, empty trailing
columns, blank rows) and strict where a silent guess would lose data: an unknown column — most
likely a typo such as `rom` — is an error, never ignored.

Line numbers are physical lines, counted by the csv module itself, so a quoted value spanning
several lines does not shift the numbers of the rows after it.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from bot.domain.models import AttendanceRow, Delegate, Session
from bot.domain.rooms import Room, room_key
from bot.importers.floor_maps import MapFiles
from bot.importers.issues import MAX_ROWS, FileKind, Invalid, Located, ParsedFile
from bot.importers.languages import normalize_language
from bot.importers.rows import Row, read_attendance, read_delegate, read_room, read_session

TITLE_PREFIX = "title:"
DIRECTIONS_PREFIX = "directions:"


@dataclass(frozen=True)
class Layout:
    kind: FileKind
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: tuple[str, ...]
    """Columns that identify a row; the same key twice in one file is an error."""
    translated: str | None = None
    """The prefix of per-language columns (`title:<lang>`), if the kind has them."""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def describe(self) -> str:
        extra = f"{self.translated}<lang>" if self.translated else None
        return ", ".join([*self.columns, *([extra] if extra else [])])


LAYOUTS = (
    Layout(
        FileKind.SESSIONS,
        required=("id", "title", "start", "end", "room"),
        optional=("track", "kind", "audience", "status", "description", "speakers"),
        key=("id",),
        translated=TITLE_PREFIX,
    ),
    Layout(
        FileKind.DELEGATES,
        required=("id", "name", "delegation"),
        optional=("language", "role"),
        key=("id",),
    ),
    Layout(
        FileKind.ATTENDANCE,
        required=("delegate_id", "session_id"),
        optional=("remove",),
        key=("delegate_id", "session_id"),
    ),
    Layout(
        FileKind.ROOMS,
        required=("room", "building", "floor", "capacity"),
        optional=(
            "latitude",
            "longitude",
            "address",
            "map",
            "x",
            "y",
            "kind",
            "directions",
            "accessible",
        ),
        key=("room",),
        translated=DIRECTIONS_PREFIX,
    ),
)


class _TooManyRows(Exception):
    pass


@dataclass
class _Header:
    layout: Layout
    columns: list[str | None]
    """Per position: the column's name, or None for a column to skip (unnamed or unknown)."""
    titles: dict[int, str]
    """Position -> language of the translated (`title:<lang>`, `directions:<lang>`) columns."""
    unnamed: set[int]
    """Positions of columns with an empty name: tolerated while their cells are empty."""
    complete: bool
    """All required columns are present, so rows can be read."""


def parse_csv(
    text: str, venue_tz: tzinfo, result: ParsedFile, directory: Path | None = None
) -> None:
    """Read a CSV file into `result`, or leave the one limit error if it has too many rows.

    `directory` is where the file was read from (None for a file sent through chat): a rooms
    file's maps are found relative to it.
    """
    rows = _rows(text, result)
    try:
        first = next(rows, None)
        if first is None:
            result.error(None, "the file has no header line and no rows — it is empty")
            return
        header_line, header_cells = first
        header = _read_header(header_cells, header_line, result)
        if header is None:
            return
        result.kind = header.layout.kind
        if not header.complete:
            return
        if _read_rows(rows, header, venue_tz, result, MapFiles(directory)) == 0 and result.ok:
            result.error(header_line, "the file has a header line but no rows below it")
    except _TooManyRows:
        result.errors.clear()
        result.sessions.clear()
        result.delegates.clear()
        result.attendance.clear()
        result.rooms.clear()
        result.error(
            None,
            f"the file has more than {MAX_ROWS:,} rows — split it into files of at most "
            f"{MAX_ROWS:,} rows, each starting with the same header line, and import them one "
            "after another",
        )


def _delimiter(text: str) -> str:
    """`;` when the header uses it and not `,` (spreadsheets in many European locales)."""
    header = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    return ";" if ";" in header and "," not in header else ","


def _rows(text: str, result: ParsedFile) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows, trimmed, with the line each starts on; quoting errors are reported."""
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_delimiter(text),
        skipinitialspace=True,  # `a, "b, c"` is two values, as a person reading it sees
        strict=True,  # a stray quote is reported rather than silently merging rows
    )
    count = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            result.error(
                start,
                f"the row starting here cannot be read ({error}) — a value containing commas, "
                "quotes or line breaks must be in double quotes, with quotes inside written "
                'twice ("")',
            )
            continue
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        count += 1
        if count > MAX_ROWS + 1:  # the header is not a data row
            raise _TooManyRows
        yield start, cells


def _read_header(cells: list[str], line: int, result: ParsedFile) -> _Header | None:
    names = [cell.strip().lower() for cell in cells]
    layout = _detect(names)
    if layout is None:
        needs = "; ".join(f"{lay.kind} files need {', '.join(lay.required)}" for lay in LAYOUTS)
        result.error(
            line,
            f'the header "{",".join(cells)}" does not say what the file holds — {needs} '
            "(schedules are accepted as Frab XML or schedule JSON)",
        )
        return None
    columns: list[str | None] = []
    titles: dict[int, str] = {}
    seen: dict[str, int] = {}
    for position, name in enumerate(names):
        column: str | None = None
        if not name:
            pass
        elif layout.translated and name.startswith(layout.translated):
            prefix = layout.translated
            try:
                language = normalize_language(name[len(prefix) :], allow_unlisted=True)
            except Invalid as problem:
                result.error(line, f'column "{cells[position]}": {problem.message}')
            else:
                column = f"{prefix}{language}"
                titles[position] = language
        elif name in layout.columns:
            column = name
        else:
            result.error(line, _unknown_column(cells[position], name, layout))
        if column is not None:
            if column in seen:
                result.error(
                    line,
                    f'column "{column}" appears twice (columns {seen[column] + 1} and '
                    f"{position + 1}) — keep only one",
                )
                titles.pop(position, None)
                column = None
            else:
                seen[column] = position
        columns.append(column)
    missing = [name for name in layout.required if name not in seen]
    if missing:
        names_missing = ", ".join(f'"{name}"' for name in missing)
        result.error(
            line,
            f"missing column{'s' if len(missing) > 1 else ''} {names_missing} — {layout.kind} "
            f"files need the columns {', '.join(layout.required)}",
        )
    unnamed = {position for position, name in enumerate(names) if not name}
    return _Header(layout, columns, titles, unnamed, complete=not missing)


def _detect(names: list[str]) -> Layout | None:
    """The layout whose required columns the header best covers, counting near-misses.

    A near-miss (`rom` for `room`) still counts, so that a typo is reported as an unknown
    column with a suggestion rather than as a file of no known kind. At least half of a
    layout's required columns must be there; None when no layout qualifies or two tie.
    """

    def coverage(layout: Layout) -> tuple[int, float]:
        found = sum(
            1
            for required in layout.required
            if required in names or difflib.get_close_matches(required, names, n=1, cutoff=0.75)
        )
        return found, found / len(layout.required)

    scored = [(coverage(layout), layout) for layout in LAYOUTS]
    ranked = sorted(
        ((score, layout) for score, layout in scored if score[1] >= 0.5),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def _unknown_column(original: str, name: str, layout: Layout) -> str:
    close = difflib.get_close_matches(name, layout.columns, n=1, cutoff=0.6)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return (
        f'unknown column "{original}"{hint} — {layout.kind} files take the columns '
        f"{layout.describe()}"
    )


def _read_rows(
    rows: Iterator[tuple[int, list[str]]],
    header: _Header,
    venue_tz: tzinfo,
    result: ParsedFile,
    maps: MapFiles,
) -> int:
    """Read the rows into `result`; returns how many there were."""
    layout = header.layout
    first_line: dict[tuple[str, ...], int] = {}
    count = 0
    for line, cells in rows:
        count += 1
        row = _cells_by_column(cells, header)
        titles = {
            language: row.text(f"{layout.translated}{language}")
            for language in header.titles.values()
        }
        value: Session | Delegate | AttendanceRow | Room | None
        if layout.kind is FileKind.SESSIONS:
            value = read_session(row, titles, venue_tz)
        elif layout.kind is FileKind.DELEGATES:
            value = read_delegate(row)
        elif layout.kind is FileKind.ROOMS:
            value = read_room(row, {"": row.text("directions"), **titles}, maps)
        else:
            value = read_attendance(row)
        key = tuple(row.text(column) for column in layout.key)
        if layout.kind is FileKind.ROOMS:
            # "Hall B" and "hall-b" are one room to sessions, so they are one room here too.
            key = tuple(room_key(part) for part in key)
        if all(key) and key in first_line:
            row.problems.append(_duplicate(layout, key, first_line[key]))
        elif all(key):
            first_line[key] = line
        for problem in row.problems:
            result.error(line, problem)
        if row.problems:
            continue
        if isinstance(value, Session):
            result.sessions.append(Located(line, value))
        elif isinstance(value, Delegate):
            result.delegates.append(Located(line, value))
        elif isinstance(value, AttendanceRow):
            result.attendance.append(Located(line, value))
        elif isinstance(value, Room):
            result.rooms.append(Located(line, value))
    return count


def _duplicate(layout: Layout, key: tuple[str, ...], first: int) -> str:
    if layout.kind is FileKind.ROOMS:
        return (
            f"this room is already on line {first} (room names are compared without case, "
            "spaces or punctuation) — each room may appear only once in a file"
        )
    if len(key) == 1:
        return f'id "{key[0]}" is already used on line {first} — ids must be unique within a file'
    shown = " with ".join(
        f'{column} "{value}"' for column, value in zip(layout.key, key, strict=True)
    )
    return f"{shown} is already on line {first} — each pair may appear only once in a file"


def _cells_by_column(cells: list[str], header: _Header) -> Row:
    """The row's cells by column name; stray values are problems of the row."""
    width = len(header.columns)
    named: dict[str, str] = {}
    problems: list[str] = []
    for position, cell in enumerate(cells[:width]):
        column = header.columns[position]
        if column is not None:
            named[column] = cell
        elif cell and position in header.unnamed:
            problems.append(
                f'value "{cell}" is in column {position + 1}, which has no name in the header — '
                "name the column or empty it"
            )
    if any(cells[width:]):
        problems.append(
            f"the row has {len(cells)} values but the header has {width} columns — put values "
            "that contain the separator in double quotes"
        )
    row = Row(named)
    row.problems.extend(problems)
    return row
