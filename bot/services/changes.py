"""Organizer changes to the programme made in chat: move, reschedule, cancel.

A change, its audit entry and the notices to every affected delegate commit together:
if the bot dies a moment later, the delegates are still told.

Each change reads the session inside its own write transaction (`BEGIN IMMEDIATE`) and
writes back only the columns it means to change. Reading first and writing every field
later from that copy lost updates: a /cancel and a /move at the same moment left the
session scheduled in the new room, and a /move beside an import undid the import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock, SystemClock
from bot.domain.bounds import day_in_range, moment_in_range
from bot.domain.changes import Applied, Refusal, SessionChanged, TimeProblem, changes_between
from bot.domain.models import Session, SessionStatus
from bot.domain.wallclock import place
from bot.services.notices import NoticeSettings, queue_change_notices
from bot.storage import audit, programme_writes
from bot.storage.bilaterals import conflicts as bilateral_conflicts
from bot.storage.database import Database
from bot.storage.programme import ProgrammeStore, sessions_by_ids, to_timestamp

# The columns each action may write: nothing else of the session is touched.
_COLUMNS_OF = {
    "move": ("room",),
    "reschedule": ("starts_at", "ends_at"),
    "cancel": ("status",),
}


def _column_values(session: Session) -> dict[str, object]:
    return {
        "room": session.room,
        "starts_at": to_timestamp(session.start),
        "ends_at": to_timestamp(session.end),
        "status": session.status.value,
    }


class ProgrammeEditor:
    def __init__(
        self,
        database: Database,
        programme: ProgrammeStore,
        notices: NoticeSettings,
        clock: Clock | None = None,
    ) -> None:
        self._db = database
        self._programme = programme
        self._notices = notices
        self._clock = clock or SystemClock()

    async def move(
        self, session_id: str, room: str, actor: str, now: datetime
    ) -> Applied | Refusal:
        def decide(session: Session) -> Session | Refusal:
            if session.cancelled:
                return Refusal.CANCELLED
            if session.room == room:
                return Refusal.NOTHING_CHANGES
            return replace(session, room=room)

        return await self._change(session_id, now, actor, "move", decide)

    async def reschedule(
        self, session_id: str, start: datetime, end: datetime | None, actor: str, now: datetime
    ) -> Applied | Refusal:
        def decide(session: Session) -> Session | Refusal:
            if session.cancelled:
                return Refusal.CANCELLED
            new_end = end if end is not None else _shifted_end(start, session)
            if new_end is None or not moment_in_range(start) or not moment_in_range(new_end):
                return Refusal.OUT_OF_RANGE
            if new_end <= start:
                return Refusal.ENDS_BEFORE_START
            if start <= now:
                return Refusal.IN_THE_PAST
            if start == session.start and new_end == session.end:
                return Refusal.NOTHING_CHANGES
            return replace(session, start=start, end=new_end)

        return await self._change(session_id, now, actor, "reschedule", decide)

    async def cancel(self, session_id: str, actor: str, now: datetime) -> Applied | Refusal:
        def decide(session: Session) -> Session | Refusal:
            if session.cancelled:
                return Refusal.ALREADY_CANCELLED
            return replace(session, status=SessionStatus.CANCELLED)

        return await self._change(session_id, now, actor, "cancel", decide)

    async def _change(
        self,
        session_id: str,
        now: datetime,
        actor: str,
        action: str,
        decide: Callable[[Session], Session | Refusal],
    ) -> Applied | Refusal:
        """Read, decide and write in one transaction: nobody can change it in between."""
        moment = self._clock.time()
        async with self._db.transaction() as tx:
            before = (await sessions_by_ids(tx, [session_id])).get(session_id)
            if before is None:
                return Refusal.UNKNOWN
            if before.end <= now:
                return Refusal.OVER
            after = decide(before)
            if isinstance(after, Refusal):
                return after
            values = _column_values(after)
            await programme_writes.set_columns(
                tx, after.id, {column: values[column] for column in _COLUMNS_OF[action]}
            )
            await audit.record(
                tx,
                moment,
                actor,
                action,
                after.id,
                old={"room": before.room, "start": before.start, "end": before.end},
                new={"room": after.room, "start": after.start, "end": after.end},
                status=after.status.value,
            )
            changed = SessionChanged(before, after, changes_between(before, after))
            told = await queue_change_notices(tx, [changed], self._notices, moment)
            clashes = await bilateral_conflicts(tx, [after], int(moment))
        return Applied(before, after, told, tuple(clashes))


def _shifted_end(start: datetime, session: Session) -> datetime | None:
    try:
        return start + (session.end - session.start)
    except OverflowError:
        return None


# Any decimal script (Arabic-Indic digits too); int() reads them all.
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True, slots=True)
class BadTime:
    text: str
    problem: TimeProblem


def parse_new_times(
    start_text: str, end_text: str | None, session_start: datetime, zone: ZoneInfo
) -> tuple[datetime, datetime | None] | BadTime:
    """A reschedule's START and optional END, as /reschedule, the ✏️ menu and the Mini App
    take them: an `HH:MM` START is on the session's day, an `HH:MM` END on START's day."""
    start = parse_time(start_text, session_start.astimezone(zone).date(), zone)
    if isinstance(start, TimeProblem):
        return BadTime(start_text, start)
    if end_text is None:
        return start, None
    end = parse_time(end_text, start.astimezone(zone).date(), zone)
    if isinstance(end, TimeProblem):
        return BadTime(end_text, end)
    return start, end


def parse_time(text: str, day: date, zone: ZoneInfo) -> datetime | TimeProblem:
    """`HH:MM` on `day` (venue time), or an ISO date-time (venue time unless offset).

    The same rules as the importer's: inside the summit date range, and a local time a
    daylight-saving jump skips does not exist.
    """
    clock = _CLOCK.fullmatch(text)
    try:
        if clock is not None:
            naive = datetime(day.year, day.month, day.day, int(clock[1]), int(clock[2]))
        else:
            moment = datetime.fromisoformat(text)
            if not day_in_range(moment.date()):
                return TimeProblem.OUT_OF_RANGE
            if moment.tzinfo is not None:
                return moment if moment_in_range(moment) else TimeProblem.OUT_OF_RANGE
            naive = moment
    except ValueError:
        return TimeProblem.UNREADABLE
    if not day_in_range(naive.date()):
        return TimeProblem.OUT_OF_RANGE
    placed = place(naive, zone)
    if placed is None:
        return TimeProblem.DOES_NOT_EXIST
    return placed if moment_in_range(placed) else TimeProblem.OUT_OF_RANGE
