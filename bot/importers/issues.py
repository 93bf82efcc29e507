"""What an import produces: the values found, and every problem with its place in the file.

A file is applied all or nothing (SPEC §4), so the organizer must be able to fix every
problem in one pass: parsers never stop at the first error and never raise on bad input.
Each problem is an `ImportIssue` that names the file and, when there is one, the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from bot.domain.models import AttendanceRow, Delegate, Session
from bot.domain.rooms import Room

T = TypeVar("T")

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Bigger files are refused unread: a real programme is far smaller, and a chat upload of
hundreds of megabytes is a mistake or an attack, not a schedule."""

MAX_ROWS = 50_000
"""Rows (CSV) or events (schedules) in one file; beyond it the file is refused, asking to split."""


class FileKind(StrEnum):
    SESSIONS = "sessions"
    DELEGATES = "delegates"
    ATTENDANCE = "attendance"
    ROOMS = "rooms"
    FRAB_XML = "frab_xml"
    SCHEDULE_JSON = "schedule_json"


@dataclass(frozen=True)
class ImportIssue:
    """One problem, worded for the organizer: what is wrong and what is expected."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Located(Generic[T]):
    """A value with the 1-based physical line where its row or event starts, so that
    checks made later (e.g. unknown ids, against the database) can point at it too."""

    line: int
    value: T


@dataclass
class ParsedFile:
    """Everything read from one file. Only meaningful to apply when `ok`; the values read
    from good rows of a bad file are kept anyway, for previews and tests."""

    name: str
    kind: FileKind | None
    sessions: list[Located[Session]] = field(default_factory=list)
    delegates: list[Located[Delegate]] = field(default_factory=list)
    attendance: list[Located[AttendanceRow]] = field(default_factory=list)
    rooms: list[Located[Room]] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    """What is unusual but was imported by a stated rule (repeated guids, markers, …):
    shown in the report, never a reason to refuse the file."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(ImportIssue(self.name, line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(ImportIssue(self.name, line, message))


class Invalid(Exception):
    """A value that breaks a rule; its text is the message the organizer sees.

    Raised by the small field parsers and caught by the file parsers, which add the file and
    line and carry on with the next field.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
