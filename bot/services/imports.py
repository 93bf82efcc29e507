"""Applying programme files to the database: all or nothing, with a report.

`summitbot import` and a document sent to the bot by an organizer both come here. Files
are parsed first (`bot.importers`), then checked against each other and the database
(an attendance row must name a delegate and a session that exist, in the database or in
the same run); only if nothing is wrong is anything written, in one transaction. An
import adds and updates, never deletes: a session leaves the programme by being
cancelled, an attendance row by a `remove` column.

A schedule fetched from a URL (`source`) is a complete programme: its sessions remember
the URL, and one that the next fetch no longer lists is cancelled (never deleted), with
the same notices as any other change. Schedule formats carry neither an audience nor
translated titles, so a session already known keeps its own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.changes import notable
from bot.domain.models import AttendanceRow, Delegate, Session, SessionStatus
from bot.domain.rooms import Room
from bot.domain.schedule_ids import export_guid
from bot.importers import FileKind, ImportIssue, Located, ParsedFile, parse_file
from bot.services.notices import (
    NoticeSettings,
    queue_change_notices,
    queue_withdrawal_notices,
    withdraw_self_added,
)
from bot.storage import audit
from bot.storage.bilaterals import Conflict
from bot.storage.bilaterals import conflicts as bilateral_conflicts
from bot.storage.database import Database, Transaction
from bot.storage.programme import session_from_row, to_timestamp
from bot.storage.rooms import ROOM_COLUMNS, room_from_row, upsert_rooms
from bot.storage.venue import Overcrowded, overcrowded


@dataclass(slots=True)
class Tally:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged + self.removed


@dataclass(frozen=True, slots=True)
class SessionChange:
    """A session as it was before an import (None if new) and as it is after."""

    before: Session | None
    after: Session


@dataclass(slots=True)
class ImportReport:
    files: list[str]
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    """Unusual but imported by a stated rule (repeated guids, markers, another time zone)."""
    cancelled: int = 0
    """Sessions cancelled because the source they came from no longer lists them."""
    sessions: Tally = field(default_factory=Tally)
    delegates: Tally = field(default_factory=Tally)
    attendance: Tally = field(default_factory=Tally)
    rooms: Tally = field(default_factory=Tally)
    changes: list[SessionChange] = field(default_factory=list)
    overcrowded: list[Overcrowded] = field(default_factory=list)
    """Upcoming sessions with more delegates than their room seats, after the import."""
    told: int = 0
    """Delegates sent a notice about changed sessions."""
    conflicts: list[Conflict] = field(default_factory=list)
    """Sessions of this import that collide with booked bilateral meetings."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_lines(self) -> list[str]:
        """The report in English, for the command line (chat renders its own, translated)."""
        if self.errors:
            lines = [str(issue) for issue in self.errors]
            lines.append(
                f"{len(self.errors)} error(s): nothing was imported. Fix the file(s) and run again."
            )
            return lines
        lines = []
        for name, tally in (
            ("sessions", self.sessions),
            ("delegates", self.delegates),
            ("attendance", self.attendance),
            ("rooms", self.rooms),
        ):
            if tally.total:
                parts = [f"{tally.added} added", f"{tally.changed} changed"]
                if name == "attendance":
                    parts.append(f"{tally.removed} removed")
                parts.append(f"{tally.unchanged} unchanged")
                lines.append(f"{name}: " + ", ".join(parts))
        if self.cancelled:
            lines.append(f"{self.cancelled} session(s) cancelled: no longer in the source")
        lines.extend(f"warning: {issue}" for issue in self.warnings)
        if self.told:
            lines.append(f"{self.told} delegate(s) are being told about changed sessions")
        lines += [
            f"warning: session {item.session_id} has {item.attendance} delegates on its agenda "
            f"but {item.room} seats {item.capacity}"
            for item in self.overcrowded
        ]
        for session, bookings in self.conflicts:
            held = "; ".join(
                f"#{b.id} {b.requester} – {b.other}, {b.room} {b.start:%Y-%m-%d %H:%M} UTC"
                for b in bookings
            )
            lines.append(f"conflict: {session.id} ({session.title}) overlaps bilateral {held}")
        return lines or ["nothing to import"]


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


async def import_files(
    database: Database,
    sources: Sequence[SourceFile],
    venue_tz: ZoneInfo,
    *,
    notices: NoticeSettings | None = None,
    actor: str = "cli",
    source: str = "",
) -> ImportReport:
    """Parse, check and apply `sources` together; on any error apply nothing.

    With `notices`, delegates whose sessions changed room, time or status are told in
    the same transaction (one message each, listing all their changes). With `source`
    (the URL the one schedule file came from), sessions it no longer lists are cancelled.
    """
    parsed = [
        parse_file(source.name, source.data, venue_tz, source.directory) for source in sources
    ]
    report = ImportReport(files=[source.name for source in sources])
    for result in parsed:
        report.errors.extend(result.errors)
        report.warnings.extend(result.warnings)
    report.errors.extend(_duplicates_across_files(parsed))
    if source and not all(p.kind in _SCHEDULES for p in parsed):
        report.errors.append(
            ImportIssue(source, None, "is not a schedule (Frab XML or schedule JSON)")
        )
    if report.errors:
        return report
    async with database.transaction() as tx:
        report.errors.extend(await _check_references(tx, parsed))
        if report.errors:
            return report
        existing = await _existing_sessions(tx)
        delegates = [row.value for result in parsed for row in result.delegates]
        sessions = [
            _from_schedule(row.value, existing) if result.kind in _SCHEDULES else row.value
            for result in parsed
            for row in result.sessions
        ]
        if any(result.kind in _SCHEDULES for result in parsed):
            sessions = list(_aliased(sessions, existing))
        attendance = [row.value for result in parsed for row in result.attendance]
        rooms = [row.value for result in parsed for row in result.rooms]
        report.rooms = await _apply_rooms(tx, rooms)
        report.delegates = await _apply_delegates(tx, delegates)
        report.sessions, report.changes = await _apply_sessions(tx, sessions, existing, source)
        if source:
            gone = await _cancel_missing(tx, source, {s.id for s in sessions}, existing)
            report.cancelled = len(gone)
            report.changes.extend(gone)
        report.attendance = await _apply_attendance(tx, attendance)
        moment = time.time()
        # Before the change notices, so those who only added it themselves are not told
        # about the invited session, only that it left their agenda.
        withdrawn = await withdraw_self_added(tx, report.changes)
        report.overcrowded = await overcrowded(tx, int(moment))
        report.conflicts = await bilateral_conflicts(
            tx, [change.after for change in report.changes], int(moment)
        )
        if notices is not None:
            await queue_withdrawal_notices(tx, withdrawn, notices, moment)
            changed = [c for c in (notable(x.before, x.after) for x in report.changes) if c]
            report.told = await queue_change_notices(tx, changed, notices, moment)
        await audit.record(
            tx,
            moment,
            actor,
            "import",
            ", ".join(report.files),
            sessions=asdict(report.sessions),
            delegates=asdict(report.delegates),
            attendance=asdict(report.attendance),
            rooms=asdict(report.rooms),
            told=report.told,
            **({"source": source, "cancelled": report.cancelled} if source else {}),
        )
    return report


async def _apply_rooms(tx: Transaction, rooms: Sequence[Room]) -> Tally:
    tally = Tally()
    if not rooms:
        return tally
    existing = {
        room.key: room
        for room in (
            room_from_row(row) for row in await tx.fetchall(f"SELECT {ROOM_COLUMNS} FROM room")
        )
    }
    for room in rooms:
        before = existing.get(room.key)
        if before is None:
            tally.added += 1
        elif before == room:
            tally.unchanged += 1
        else:
            tally.changed += 1
    await upsert_rooms(tx, rooms)
    return tally


_SCHEDULES = (FileKind.FRAB_XML, FileKind.SCHEDULE_JSON)


def _aliased(sessions: Sequence[Session], existing: Mapping[str, Session]) -> Iterable[Session]:
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


def _from_schedule(session: Session, existing: Mapping[str, Session]) -> Session:
    """Schedule formats carry no audience and no translations: a known session keeps its."""
    before = existing.get(session.id)
    if before is None:
        return session
    return replace(session, audience=before.audience, titles=dict(before.titles))


async def _cancel_missing(
    tx: Transaction, source: str, listed: set[str], existing: Mapping[str, Session]
) -> list[SessionChange]:
    rows = await tx.fetchall(
        "SELECT id FROM session WHERE source = ? AND status = ?",
        (source, SessionStatus.SCHEDULED.value),
    )
    gone = sorted(row["id"] for row in rows if row["id"] not in listed)
    await tx.executemany(
        "UPDATE session SET status = ?, sequence = sequence + 1 WHERE id = ?",
        [(SessionStatus.CANCELLED.value, key) for key in gone],
    )
    return [
        SessionChange(existing[key], replace(existing[key], status=SessionStatus.CANCELLED))
        for key in gone
        if key in existing
    ]


def _duplicates_across_files(parsed: Sequence[ParsedFile]) -> list[ImportIssue]:
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


async def _known_ids(tx: Transaction, table: str) -> set[str]:
    return {row[0] for row in await tx.fetchall(f"SELECT id FROM {table}")}


async def _check_references(tx: Transaction, parsed: Sequence[ParsedFile]) -> list[ImportIssue]:
    rows: list[tuple[str, Located[AttendanceRow]]] = [
        (result.name, row) for result in parsed for row in result.attendance
    ]
    if not rows:
        return []
    delegates = await _known_ids(tx, "delegate")
    sessions = await _known_ids(tx, "session")
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


async def _apply_delegates(tx: Transaction, delegates: Sequence[Delegate]) -> Tally:
    tally = Tally()
    if not delegates:
        return tally
    await tx.executemany(
        "INSERT OR IGNORE INTO delegation (name) VALUES (?)",
        [(name,) for name in sorted({d.delegation for d in delegates})],
    )
    delegation_ids = {
        row["name"].casefold(): row["id"]
        for row in await tx.fetchall("SELECT id, name FROM delegation")
    }
    existing = {
        row["id"]: (row["name"], row["delegation"].casefold(), row["language"], row["role"])
        for row in await tx.fetchall(
            """SELECT d.id, d.name, g.name AS delegation, d.language, d.role
                 FROM delegate d JOIN delegation g ON g.id = d.delegation_id"""
        )
    }
    writes = []
    for delegate in delegates:
        values = (
            delegate.name,
            delegate.delegation.casefold(),
            delegate.language,
            delegate.role.value,
        )
        before = existing.get(delegate.id)
        if before == values:
            tally.unchanged += 1
            continue
        if before is None:
            tally.added += 1
        else:
            tally.changed += 1
        writes.append(
            (
                delegate.id,
                delegate.name,
                delegation_ids[delegate.delegation.casefold()],
                delegate.language,
                delegate.role.value,
            )
        )
    await tx.executemany(
        """INSERT INTO delegate (id, name, delegation_id, language, role) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name,
               delegation_id = excluded.delegation_id, language = excluded.language,
               role = excluded.role""",
        writes,
    )
    return tally


def _comparable(session: Session) -> tuple[object, ...]:
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


async def _existing_sessions(tx: Transaction) -> dict[str, Session]:
    titles: dict[str, dict[str, str]] = {}
    for row in await tx.fetchall("SELECT session_id, language, title FROM session_title"):
        titles.setdefault(row["session_id"], {})[row["language"]] = row["title"]
    rows = await tx.fetchall(
        "SELECT s.id, s.title, s.starts_at, s.ends_at, s.room, s.track, s.kind, s.audience,"
        " s.status, s.description, s.speakers, s.sequence FROM session s"
    )
    return {row["id"]: session_from_row(row, titles.get(row["id"])) for row in rows}


async def _apply_sessions(
    tx: Transaction, sessions: Sequence[Session], existing: Mapping[str, Session], source: str
) -> tuple[Tally, list[SessionChange]]:
    tally = Tally()
    changes: list[SessionChange] = []
    if not sessions:
        return tally, changes
    if source:
        # Claimed by this source even when unchanged: it is now the one that may cancel it.
        await tx.executemany(
            "UPDATE session SET source = ? WHERE id = ? AND source <> ?",
            [(source, s.id, source) for s in sessions if s.id in existing],
        )
    writes: list[Session] = []
    for session in sessions:
        before = existing.get(session.id)
        if before is not None and _comparable(before) == _comparable(session):
            tally.unchanged += 1
            continue
        if before is None:
            tally.added += 1
        else:
            tally.changed += 1
        writes.append(session)
        changes.append(SessionChange(before, session))
    await tx.executemany(
        """INSERT INTO session (id, title, starts_at, ends_at, room, track, kind, audience,
                                status, description, speakers, source)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET title = excluded.title,
               starts_at = excluded.starts_at, ends_at = excluded.ends_at,
               room = excluded.room, track = excluded.track, kind = excluded.kind,
               audience = excluded.audience, status = excluded.status,
               description = excluded.description, speakers = excluded.speakers,
               source = CASE WHEN excluded.source <> '' THEN excluded.source
                             ELSE session.source END,
               sequence = session.sequence + 1""",
        [
            (
                s.id,
                s.title,
                to_timestamp(s.start),
                to_timestamp(s.end),
                s.room,
                s.track,
                s.kind.value,
                s.audience.value,
                s.status.value,
                s.description,
                json.dumps(list(s.speakers), ensure_ascii=False),
                source,
            )
            for s in writes
        ],
    )
    # A file states a session's translations in full: what it leaves out is dropped.
    await tx.executemany(
        "DELETE FROM session_title WHERE session_id = ?", [(s.id,) for s in writes]
    )
    await tx.executemany(
        "INSERT INTO session_title (session_id, language, title) VALUES (?, ?, ?)",
        [(s.id, language, title) for s in writes for language, title in s.titles.items()],
    )
    return tally, changes


async def _apply_attendance(tx: Transaction, rows: Sequence[AttendanceRow]) -> Tally:
    # Counted from the table size before and after each batch: one statement per batch
    # instead of one round trip per row, which matters for 800,000 rows.
    tally = Tally()
    adds = list(dict.fromkeys((r.delegate_id, r.session_id) for r in rows if not r.remove))
    removes = list(dict.fromkeys((r.delegate_id, r.session_id) for r in rows if r.remove))
    count_sql = "SELECT COUNT(*) FROM attendance"
    if adds:
        before = await _count(tx, count_sql)
        # The organizers' row: a delegate's own earlier choice becomes theirs.
        await tx.executemany(
            """INSERT INTO attendance (delegate_id, session_id, source) VALUES (?, ?, 'organizer')
               ON CONFLICT (delegate_id, session_id) DO UPDATE SET source = 'organizer'""",
            adds,
        )
        tally.added = await _count(tx, count_sql) - before
        tally.unchanged += len(adds) - tally.added
    if removes:
        before = await _count(tx, count_sql)
        await tx.executemany(
            "DELETE FROM attendance WHERE delegate_id = ? AND session_id = ?", removes
        )
        tally.removed = before - await _count(tx, count_sql)
        tally.unchanged += len(removes) - tally.removed
    return tally


async def _count(tx: Transaction, sql: str) -> int:
    row = await tx.fetchone(sql)
    return int(row[0]) if row else 0
