"""Organizer changes to the programme made in chat: move, reschedule, cancel.

A change, its audit entry and the notices to every affected delegate commit together:
if the bot dies a moment later, the delegates are still told.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from zoneinfo import ZoneInfo

from bot.domain.changes import SessionChanged, changes_between
from bot.domain.models import Session, SessionStatus
from bot.notices import NoticeSettings, queue_change_notices
from bot.storage import audit
from bot.storage.bilaterals import Conflict
from bot.storage.bilaterals import conflicts as bilateral_conflicts
from bot.storage.database import Database
from bot.storage.programme import ProgrammeStore, to_timestamp


class Refusal(Enum):
    UNKNOWN = "unknown"
    OVER = "over"
    IN_THE_PAST = "in_the_past"
    ENDS_BEFORE_START = "ends_before_start"
    NOTHING_CHANGES = "nothing_changes"
    ALREADY_CANCELLED = "already_cancelled"


@dataclass(frozen=True, slots=True)
class Applied:
    before: Session
    after: Session
    told: int
    conflicts: tuple[Conflict, ...] = ()
    """Booked bilateral meetings the changed session now collides with."""


class ProgrammeEditor:
    def __init__(
        self, database: Database, programme: ProgrammeStore, notices: NoticeSettings
    ) -> None:
        self._db = database
        self._programme = programme
        self._notices = notices

    async def move(
        self, session_id: str, room: str, actor: str, now: datetime
    ) -> Applied | Refusal:
        session = await self._editable(session_id, now)
        if isinstance(session, Refusal):
            return session
        if session.room == room:
            return Refusal.NOTHING_CHANGES
        return await self._apply(session, replace(session, room=room), actor, "move")

    async def reschedule(
        self, session_id: str, start: datetime, end: datetime | None, actor: str, now: datetime
    ) -> Applied | Refusal:
        session = await self._editable(session_id, now)
        if isinstance(session, Refusal):
            return session
        new_end = end if end is not None else start + (session.end - session.start)
        if new_end <= start:
            return Refusal.ENDS_BEFORE_START
        if start <= now:
            return Refusal.IN_THE_PAST
        if start == session.start and new_end == session.end:
            return Refusal.NOTHING_CHANGES
        after = replace(session, start=start, end=new_end)
        return await self._apply(session, after, actor, "reschedule")

    async def cancel(self, session_id: str, actor: str, now: datetime) -> Applied | Refusal:
        session = await self._editable(session_id, now)
        if isinstance(session, Refusal):
            return session
        if session.cancelled:
            return Refusal.ALREADY_CANCELLED
        after = replace(session, status=SessionStatus.CANCELLED)
        return await self._apply(session, after, actor, "cancel")

    async def _editable(self, session_id: str, now: datetime) -> Session | Refusal:
        session = await self._programme.get(session_id)
        if session is None:
            return Refusal.UNKNOWN
        if session.end <= now:
            return Refusal.OVER
        return session

    async def _apply(self, before: Session, after: Session, actor: str, action: str) -> Applied:
        moment = time.time()
        async with self._db.transaction() as tx:
            await tx.execute(
                """UPDATE session SET room = ?, starts_at = ?, ends_at = ?, status = ?,
                          sequence = sequence + 1 WHERE id = ?""",
                (
                    after.room,
                    to_timestamp(after.start),
                    to_timestamp(after.end),
                    after.status.value,
                    after.id,
                ),
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


def parse_time(text: str, day_of: datetime, zone: ZoneInfo) -> datetime | None:
    """`HH:MM` on the session's own day, or an ISO date-time (venue time unless offset)."""
    try:
        if len(text) <= 5 and ":" in text:
            hours, minutes = (int(part) for part in text.split(":"))
            local_day = day_of.astimezone(zone).date()
            return datetime(
                local_day.year, local_day.month, local_day.day, hours, minutes, tzinfo=zone
            )
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)
