"""Every write to the programme's sessions: an import's upserts, a change's columns, a cancel.

Reading is in `programme`. Each write bumps the session's `sequence`, which calendar
files carry so that calendar apps take the newer version of an event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from bot.domain.models import Session, SessionStatus
from bot.storage.database import Transaction
from bot.storage.programme import to_timestamp

_UPSERT = """
    INSERT INTO session (id, title, starts_at, ends_at, room, track, kind, audience,
                         status, description, speakers, source)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET title = excluded.title,
        starts_at = excluded.starts_at, ends_at = excluded.ends_at,
        room = excluded.room, track = excluded.track, kind = excluded.kind,
        audience = excluded.audience, status = excluded.status,
        description = excluded.description, speakers = excluded.speakers,
        source = CASE WHEN excluded.source <> '' THEN excluded.source
                      ELSE session.source END,
        sequence = session.sequence + 1
"""

# The columns a change in chat may write, by name: nothing else of the session is touched.
CHANGEABLE = frozenset({"room", "starts_at", "ends_at", "status"})


async def write_sessions(tx: Transaction, sessions: Sequence[Session], source: str) -> None:
    """Add or replace these sessions whole, translated titles included.

    `source` (a schedule's URL, or "") is remembered only when given: a file from chat
    does not take a session away from the source that listed it.
    """
    await tx.executemany(
        _UPSERT,
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
            for s in sessions
        ],
    )
    # A file states a session's translations in full: what it leaves out is dropped.
    await tx.executemany(
        "DELETE FROM session_title WHERE session_id = ?", [(s.id,) for s in sessions]
    )
    await tx.executemany(
        "INSERT INTO session_title (session_id, language, title) VALUES (?, ?, ?)",
        [(s.id, language, title) for s in sessions for language, title in s.titles.items()],
    )


async def claim_for_source(tx: Transaction, source: str, session_ids: Iterable[str]) -> None:
    """These sessions now belong to `source`: it is the one that may cancel them."""
    await tx.executemany(
        "UPDATE session SET source = ? WHERE id = ? AND source <> ?",
        [(source, session_id, source) for session_id in session_ids],
    )


async def cancel_unlisted(tx: Transaction, source: str, listed: set[str]) -> list[str]:
    """Cancel the scheduled sessions of `source` it no longer lists; returns their ids."""
    rows = await tx.fetchall(
        "SELECT id FROM session WHERE source = ? AND status = ?",
        (source, SessionStatus.SCHEDULED.value),
    )
    gone = sorted(row["id"] for row in rows if row["id"] not in listed)
    await tx.executemany(
        "UPDATE session SET status = ?, sequence = sequence + 1 WHERE id = ?",
        [(SessionStatus.CANCELLED.value, key) for key in gone],
    )
    return gone


async def cancel(tx: Transaction, session_id: str) -> None:
    await tx.execute(
        "UPDATE session SET status = 'cancelled', sequence = sequence + 1 WHERE id = ?",
        (session_id,),
    )


async def set_columns(tx: Transaction, session_id: str, values: Mapping[str, object]) -> None:
    """Write only these columns (of `CHANGEABLE`): a change must not carry back stale
    values of the others, read before a concurrent writer changed them."""
    unknown = set(values) - CHANGEABLE
    if unknown:
        raise ValueError(f"not a changeable session column: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = ?" for column in values)
    await tx.execute(
        f"UPDATE session SET {assignments}, sequence = sequence + 1 WHERE id = ?",
        (*values.values(), session_id),
    )
