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

from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from zoneinfo import ZoneInfo

from bot.clock import Clock, SystemClock
from bot.domain.changes import notable
from bot.domain.models import AttendanceRow, Delegate, Session, SessionStatus
from bot.domain.rooms import Room
from bot.importers import ImportIssue, parse_file
from bot.importers.report import ImportReport, SessionChange, Tally
from bot.services.import_plan import (
    SCHEDULES,
    SourceFile,
    aliased,
    comparable,
    duplicates_across_files,
    from_schedule,
    read_files,
    unknown_references,
)
from bot.services.notices import (
    NoticeSettings,
    queue_change_notices,
    queue_withdrawal_notices,
    withdraw_self_added,
)
from bot.storage import attendance, audit, programme, programme_writes, roster
from bot.storage.bilaterals import conflicts as bilateral_conflicts
from bot.storage.database import Database, Transaction
from bot.storage.rooms import rooms_by_key, upsert_rooms
from bot.storage.venue import overcrowded

# The import's report and files, for the callers that know the import by this module.
__all__ = [
    "ImportReport",
    "SessionChange",
    "SourceFile",
    "Tally",
    "import_files",
    "read_files",
]


async def import_files(
    database: Database,
    sources: Sequence[SourceFile],
    venue_tz: ZoneInfo,
    *,
    notices: NoticeSettings | None = None,
    actor: str = "cli",
    source: str = "",
    clock: Clock | None = None,
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
    report.errors.extend(duplicates_across_files(parsed))
    if source and not all(p.kind in SCHEDULES for p in parsed):
        report.errors.append(
            ImportIssue(source, None, "is not a schedule (Frab XML or schedule JSON)")
        )
    if report.errors:
        return report
    async with database.transaction() as tx:
        if any(result.attendance for result in parsed):
            report.errors.extend(
                unknown_references(
                    parsed, await roster.known_ids(tx), await programme.known_ids(tx)
                )
            )
        if report.errors:
            return report
        existing = await programme.all_sessions(tx)
        delegates = [row.value for result in parsed for row in result.delegates]
        sessions = [
            from_schedule(row.value, existing) if result.kind in SCHEDULES else row.value
            for result in parsed
            for row in result.sessions
        ]
        if any(result.kind in SCHEDULES for result in parsed):
            sessions = list(aliased(sessions, existing))
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
        moment = (clock or SystemClock()).time()
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
    existing = await rooms_by_key(tx)
    for room in rooms:
        before = existing.get(room.key)
        tally.count(before, before == room)
    await upsert_rooms(tx, rooms)
    return tally


async def _cancel_missing(
    tx: Transaction, source: str, listed: set[str], existing: Mapping[str, Session]
) -> list[SessionChange]:
    gone = await programme_writes.cancel_unlisted(tx, source, listed)
    return [
        SessionChange(existing[key], replace(existing[key], status=SessionStatus.CANCELLED))
        for key in gone
        if key in existing
    ]


async def _apply_delegates(tx: Transaction, delegates: Sequence[Delegate]) -> Tally:
    tally = Tally()
    if not delegates:
        return tally
    delegation_ids = await roster.ensure_delegations(tx, sorted({d.delegation for d in delegates}))
    existing = await roster.as_imported(tx)
    writes = []
    for delegate in delegates:
        values = (
            delegate.name,
            delegate.delegation.casefold(),
            delegate.language,
            delegate.role.value,
        )
        before = existing.get(delegate.id)
        if not tally.count(before, before == values):
            continue
        writes.append(
            (
                delegate.id,
                delegate.name,
                delegation_ids[delegate.delegation.casefold()],
                delegate.language,
                delegate.role.value,
            )
        )
    await roster.upsert_delegates(tx, writes)
    return tally


async def _apply_sessions(
    tx: Transaction, sessions: Sequence[Session], existing: Mapping[str, Session], source: str
) -> tuple[Tally, list[SessionChange]]:
    tally = Tally()
    changes: list[SessionChange] = []
    if not sessions:
        return tally, changes
    if source:
        # Claimed by this source even when unchanged: it is now the one that may cancel it.
        await programme_writes.claim_for_source(
            tx, source, [s.id for s in sessions if s.id in existing]
        )
    writes: list[Session] = []
    for session in sessions:
        before = existing.get(session.id)
        same = before is not None and comparable(before) == comparable(session)
        if not tally.count(before, same):
            continue
        writes.append(session)
        changes.append(SessionChange(before, session))
    await programme_writes.write_sessions(tx, writes, source)
    return tally, changes


async def _apply_attendance(tx: Transaction, rows: Sequence[AttendanceRow]) -> Tally:
    tally = Tally()
    adds = list(dict.fromkeys((r.delegate_id, r.session_id) for r in rows if not r.remove))
    removes = list(dict.fromkeys((r.delegate_id, r.session_id) for r in rows if r.remove))
    if adds:
        tally.added = await attendance.add_for_organizers(tx, adds)
        tally.unchanged += len(adds) - tally.added
    if removes:
        tally.removed = await attendance.remove(tx, removes)
        tally.unchanged += len(removes) - tally.removed
    return tally
