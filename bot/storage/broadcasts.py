"""Organizer broadcasts: audiences, previews, confirmation, progress, acknowledgements."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from bot.domain.broadcasts import (
    Audience,
    AudienceKind,
    Broadcast,
    Progress,
    State,
    UnknownAudience,
    parse_command,
)
from bot.storage.database import Database, Reader
from bot.storage.outbox import Outgoing, enqueue
from bot.storage.recipients import REGISTERED, Recipient, recipient
from bot.storage.rows import from_row

# Who has a session on their agenda: its attendees, or everyone for an open plenary.
_SESSION_AUDIENCE = f"""
    {REGISTERED} AND (
        d.id IN (SELECT delegate_id FROM attendance WHERE session_id IN ({{sessions}}))
        OR EXISTS (SELECT 1 FROM session s WHERE s.id IN ({{sessions}})
                     AND s.kind = 'plenary' AND s.audience = 'all'))
"""


class BroadcastStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def recipients(self, audience: Audience) -> list[Recipient]:
        """Registered, reachable delegates in the audience; UnknownAudience if it names nothing."""
        return await _recipients(self._db, audience)

    async def create(
        self, organizer_id: int, audience: Audience, text: str, urgent: bool, now: float
    ) -> int:
        async with self._db.transaction() as tx:
            return await tx.insert(
                """INSERT INTO broadcast (organizer_id, audience, text, urgent, created_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (organizer_id, str(audience), text, int(urgent), now),
            )

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetchone("SELECT * FROM broadcast WHERE id = ?", (broadcast_id,))
        return None if row is None else _broadcast(row)

    async def confirm(
        self,
        broadcast_id: int,
        organizer_id: int,
        render: Callable[[Broadcast, Sequence[Recipient]], list[Outgoing]],
        progress_chat: int,
        progress_message: int,
        now: float,
    ) -> Broadcast | None:
        """Queue the broadcast for everyone in its audience now; None if not a preview any more.

        Recipients are resolved again here, inside the transaction that queues them, so
        a delegate who registered since the preview is included and nobody twice.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM broadcast WHERE id = ? AND organizer_id = ? AND state = 'preview'",
                (broadcast_id, organizer_id),
            )
            if row is None:
                return None
            broadcast = _broadcast(row)
            audience, _ = parse_command(broadcast.audience)
            assert audience is not None
            try:
                recipients = await _recipients(tx, audience)
            except UnknownAudience:
                recipients = []
            count = await enqueue(tx, render(broadcast, recipients), now)
            await tx.execute(
                """UPDATE broadcast SET state = 'sending', recipients = ?, confirmed_at = ?,
                          progress_chat = ?, progress_message = ? WHERE id = ?""",
                (count, now, progress_chat, progress_message, broadcast_id),
            )
        return await self.get(broadcast_id)

    async def cancel(self, broadcast_id: int, organizer_id: int) -> bool:
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                """UPDATE broadcast SET state = 'cancelled'
                    WHERE id = ? AND organizer_id = ? AND state = 'preview'""",
                (broadcast_id, organizer_id),
            )
        return changed == 1

    async def active(self) -> list[Broadcast]:
        rows = await self._db.fetchall("SELECT * FROM broadcast WHERE state = 'sending'")
        return [_broadcast(row) for row in rows]

    async def recent(self, limit: int = 10) -> list[Broadcast]:
        """The latest confirmed broadcasts, newest first (the Mini App's progress list)."""
        rows = await self._db.fetchall(
            """SELECT * FROM broadcast WHERE state IN ('sending', 'done')
                ORDER BY confirmed_at DESC LIMIT ?""",
            (limit,),
        )
        return [_broadcast(row) for row in rows]

    async def progress(self, broadcast: Broadcast) -> Progress:
        rows = await self._db.fetchall(
            "SELECT state, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY state",
            (broadcast.id,),
        )
        counts = {row[0]: row[1] for row in rows}
        acknowledged = await self._db.fetchvalue(
            "SELECT COUNT(*) FROM acknowledgement WHERE broadcast_id = ?", (broadcast.id,)
        )
        return Progress(
            total=broadcast.recipients,
            delivered=counts.get("sent", 0),
            waiting=counts.get("waiting", 0) + counts.get("sending", 0),
            unreachable=counts.get("unreachable", 0),
            failed=counts.get("failed", 0),
            acknowledged=int(acknowledged or 0),
        )

    async def finish(self, broadcast_id: int, now: float) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE broadcast SET state = 'done', finished_at = ? WHERE id = ?",
                (now, broadcast_id),
            )

    async def acknowledge(self, broadcast_id: int, delegate_id: str, now: float) -> bool:
        """Record an acknowledgement; False if this delegate was not sent this notice."""
        async with self._db.transaction() as tx:
            sent_to = await tx.fetchone(
                """SELECT 1 FROM outbox o JOIN broadcast b ON b.id = o.broadcast_id
                    WHERE o.broadcast_id = ? AND o.delegate_id = ? AND b.urgent = 1""",
                (broadcast_id, delegate_id),
            )
            if sent_to is None:
                return False
            await tx.execute(
                "INSERT OR IGNORE INTO acknowledgement (broadcast_id, delegate_id, at) "
                "VALUES (?, ?, ?)",
                (broadcast_id, delegate_id, now),
            )
        return True

    async def confirmed_at(self, broadcast_id: int) -> float | None:
        value = await self._db.fetchvalue(
            "SELECT confirmed_at FROM broadcast WHERE id = ?", (broadcast_id,)
        )
        return None if value is None else float(value)

    async def latest_urgent(self) -> Broadcast | None:
        row = await self._db.fetchone(
            """SELECT * FROM broadcast WHERE urgent = 1 AND state IN ('sending', 'done')
                ORDER BY confirmed_at DESC LIMIT 1"""
        )
        return None if row is None else _broadcast(row)

    async def unacknowledged(self, broadcast_id: int) -> list[tuple[str, str, str]]:
        """(name, delegation, delivery state) of recipients who have not acknowledged."""
        rows = await self._db.fetchall(
            """SELECT d.name, g.name AS delegation, o.state FROM outbox o
                 JOIN delegate d ON d.id = o.delegate_id
                 JOIN delegation g ON g.id = d.delegation_id
                WHERE o.broadcast_id = ?
                  AND NOT EXISTS (SELECT 1 FROM acknowledgement a
                                   WHERE a.broadcast_id = o.broadcast_id
                                     AND a.delegate_id = o.delegate_id)
                ORDER BY g.name, d.name""",
            (broadcast_id,),
        )
        return [(row["name"], row["delegation"], row["state"]) for row in rows]


def _broadcast(row: sqlite3.Row) -> Broadcast:
    return from_row(Broadcast, row, urgent=bool(row["urgent"]), state=State(row["state"]))


async def _exists(reader: Reader, sql: str, value: str) -> bool:
    return await reader.fetchone(sql, (value,)) is not None


async def _recipients(reader: Reader, audience: Audience) -> list[Recipient]:
    if audience.kind is AudienceKind.ALL:
        rows = await reader.fetchall(REGISTERED)
    elif audience.kind is AudienceKind.DELEGATION:
        delegation = "SELECT id FROM delegation WHERE name = ? COLLATE NOCASE"
        if not await _exists(reader, delegation, audience.value):
            raise UnknownAudience(audience.value)
        rows = await reader.fetchall(
            f"{REGISTERED} AND d.delegation_id = ({delegation})", (audience.value,)
        )
    else:
        if audience.kind is AudienceKind.SESSION:
            sessions = "SELECT id FROM session WHERE id = ?"
        else:
            sessions = "SELECT id FROM session WHERE track = ? COLLATE NOCASE"
        if not await _exists(reader, sessions, audience.value):
            raise UnknownAudience(audience.value)
        rows = await reader.fetchall(
            _SESSION_AUDIENCE.format(sessions=sessions), (audience.value, audience.value)
        )
    return [recipient(r) for r in rows]
