"""Reading an import's files and deciding what they mean, before anything is written.

Everything here is pure (no database): which files to read, what is wrong across them,
and how a schedule's event maps onto a session already known. `bot.services.imports`
applies the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.domain.models import AttendanceRow, Session
from bot.domain.schedule_ids import export_guid
from bot.importers import FileKind, ImportIssue, Located, ParsedFile

SCHEDULES = (FileKind.FRAB_XML, FileKind.SCHEDULE_JSON)
"""File kinds that are a complete programme from a schedule tool."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    name: str
    data: bytes
    directory: Path | None = None
    """The folder the file was read from (paths in it are relative to it); None from chat."""


def read_files(paths: Iterable[Path]) -> tuple[list[SourceFile], list[ImportIssue]]:
    """Read files from disk; a missing or unreadable file is an issue, not an exception."""
    sources: list[SourceFile] = []
    problems: list[ImportIssue] = []
    for path in paths:
        try:
            sources.append(SourceFile(str(path), path.read_bytes(), path.resolve().parent))
        except FileNotFoundError:
            problems.append(ImportIssue(str(path), None, "file not found"))
        except IsADirectoryError:
            problems.append(ImportIssue(str(path), None, "is a folder, not a file"))
        except OSError as exc:
            problems.append(ImportIssue(str(path), None, f"cannot be read ({exc.strerror})"))
    return sources, problems


def aliased(sessions: Sequence[Session], existing: Mapping[str, Session]) -> Iterable[Session]:
    """A schedule event whose guid is the exported guid of a known session is that session
    (so that importing `summitbot export` output changes nothing)."""
    aliases = {export_guid(key): key for key in existing if export_guid(key) != key}
    for session in sessions:
        known = aliases.get(session.id)
        if known is not None and session.id not in existing:
            before = existing[known]
            yield replace(session, id=known, audience=before.audience, titles=dict(before.titles))
        else:
            yield session


def from_schedule(session: Session, existing: Mapping[str, Session]) -> Session:
    """Schedule formats carry no audience and no translations: a known session keeps its."""
    before = existing.get(session.id)
    if before is None:
        return session
    return replace(session, audience=before.audience, titles=dict(before.titles))


def duplicates_across_files(parsed: Sequence[ParsedFile]) -> list[ImportIssue]:
    """The same session or delegate id in two files of one run is ambiguous."""
    problems: list[ImportIssue] = []
    for label, keyed in (
        ("session", [(p.name, [(r.line, r.value.id) for r in p.sessions]) for p in parsed]),
        ("delegate", [(p.name, [(r.line, r.value.id) for r in p.delegates]) for p in parsed]),
        ("room", [(p.name, [(r.line, r.value.key) for r in p.rooms]) for p in parsed]),
    ):
        seen: dict[str, tuple[str, int]] = {}
        for name, rows in keyed:
            for line, key in rows:
                if key in seen and seen[key][0] != name:
                    first_file, first_line = seen[key]
                    problems.append(
                        ImportIssue(
                            name,
                            line,
                            f"{label} id {key!r} is also in {first_file}:{first_line} — "
                            "keep it in one file",
                        )
                    )
                seen.setdefault(key, (name, line))
    return problems


def unknown_references(
    parsed: Sequence[ParsedFile], known_delegates: set[str], known_sessions: set[str]
) -> list[ImportIssue]:
    """Attendance rows naming a delegate or session neither known nor in these files."""
    rows: list[tuple[str, Located[AttendanceRow]]] = [
        (result.name, row) for result in parsed for row in result.attendance
    ]
    delegates = set(known_delegates)
    sessions = set(known_sessions)
    delegates.update(row.value.id for result in parsed for row in result.delegates)
    sessions.update(row.value.id for result in parsed for row in result.sessions)
    problems: list[ImportIssue] = []
    for name, row in rows:
        if row.value.delegate_id not in delegates:
            problems.append(
                ImportIssue(
                    name,
                    row.line,
                    f"unknown delegate {row.value.delegate_id!r} — import the delegates file "
                    "first, or with this one",
                )
            )
        if row.value.session_id not in sessions:
            problems.append(
                ImportIssue(
                    name,
                    row.line,
                    f"unknown session {row.value.session_id!r} — import the sessions file "
                    "first, or with this one",
                )
            )
    return problems


def comparable(session: Session) -> tuple[object, ...]:
    return (
        session.title,
        int(session.start.timestamp()),
        int(session.end.timestamp()),
        session.room,
        session.track,
        session.kind,
        session.audience,
        session.status,
        session.description,
        tuple(session.speakers),
        tuple(sorted(session.titles.items())),
    )
