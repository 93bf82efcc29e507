"""Writes to who attends what, beyond a delegate's own /program choice (`ProgrammeStore`).

The organizers' rows come from imports and booked bilateral meetings; they are marked
`source = 'organizer'`, so a delegate's own earlier choice of the same session becomes
theirs, and only delegate-chosen rows are withdrawn when a session turns invited.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.storage.database import Transaction

Pair = tuple[str, str]
"""(delegate id, session id)."""


async def count(tx: Transaction) -> int:
    row = await tx.fetchone("SELECT COUNT(*) FROM attendance")
    return int(row[0]) if row else 0


async def add_for_organizers(tx: Transaction, pairs: Sequence[Pair]) -> int:
    """Put these delegates on these sessions as the organizers' rows; returns how many
    rows are new."""
    # Counted from the table size before and after: one statement per batch instead of
    # one round trip per row, which matters for 800,000 rows.
    before = await count(tx)
    await tx.executemany(
        """INSERT INTO attendance (delegate_id, session_id, source) VALUES (?, ?, 'organizer')
           ON CONFLICT (delegate_id, session_id) DO UPDATE SET source = 'organizer'""",
        pairs,
    )
    return await count(tx) - before


async def remove(tx: Transaction, pairs: Sequence[Pair]) -> int:
    """Take these delegates off these sessions; returns how many rows there were."""
    before = await count(tx)
    await tx.executemany("DELETE FROM attendance WHERE delegate_id = ? AND session_id = ?", pairs)
    return before - await count(tx)


async def withdraw_delegate_choices_of_invited(tx: Transaction) -> list[Pair]:
    """Delete every delegate-chosen row of an invited session; returns what was deleted."""
    rows = await tx.fetchall(
        """DELETE FROM attendance
            WHERE source = 'delegate'
              AND session_id IN (SELECT id FROM session WHERE audience = 'invited')
        RETURNING delegate_id, session_id"""
    )
    return [(row["delegate_id"], row["session_id"]) for row in rows]
