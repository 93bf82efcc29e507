"""Reading the organizers' data files (SPEC §4) into domain values, with every problem listed.

`parse_file` is the one entry point, shared by `summitbot import` and files sent to the bot:
it tells the format from the content (JSON, XML, else CSV by its header), never raises on bad
input, and returns all the file's errors with their lines so the organizer can fix everything
in one go. What is unusual but has a stated rule (a repeated guid, a marker without
duration, another time zone) is a warning, not an error (`ParsedFile.warnings`). Whether
referenced ids exist is not checked here: that needs the database.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from bot.importers.csv_files import parse_csv
from bot.importers.decoding import EncodingProblem, decode
from bot.importers.frab_xml import parse_frab_xml
from bot.importers.issues import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileKind,
    ImportIssue,
    Located,
    ParsedFile,
)
from bot.importers.limits import check_limits
from bot.importers.schedule_json import parse_schedule_json

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "FileKind",
    "ImportIssue",
    "Located",
    "ParsedFile",
    "parse_file",
]


def parse_file(
    name: str, data: bytes, venue_tz: ZoneInfo, directory: Path | None = None
) -> ParsedFile:
    """Parse one data file; `name` is how messages refer to it.

    `directory` is the folder the file was read from, for paths inside it (a rooms file's
    maps); None for a file that came through chat.

    Local times (CSV without offset, schedules without a `time_zone_name`) are venue time. All
    times returned are aware and in UTC, as storage keeps them: UTC values compare and add
    safely, whereas zone-local ones in a repeated DST hour never compare equal to other zones'
    (PEP 495) and add wall-clock time.
    """
    result = ParsedFile(name=name, kind=None)
    if len(data) > MAX_FILE_BYTES:
        result.error(
            None,
            f"the file is {len(data) / 1024 / 1024:.1f} MB, more than the "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB limit — split it into smaller files (for "
            "example by day or by delegation) and import them one after another",
        )
        return result
    try:
        text = decode(data)
    except EncodingProblem as problem:
        result.error(problem.line, problem.message)
        return result
    start = text.lstrip()[:1]
    if not start:
        result.error(
            None, "the file is empty — expected a CSV file with a header line, or a schedule"
        )
        return result
    if start in "{[":
        result.kind = FileKind.SCHEDULE_JSON
        parse_schedule_json(text, venue_tz, result)
    elif start == "<":
        result.kind = FileKind.FRAB_XML
        parse_frab_xml(text, venue_tz, result)
    else:
        parse_csv(text, venue_tz, result, directory)
    check_limits(result)
    result.errors.sort(key=lambda issue: issue.line or 0)
    return result
