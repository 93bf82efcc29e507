"""The numbers `summitbot status` reports: registrations and the outbox's recent work."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Reader


@dataclass(frozen=True, slots=True)
class Registrations:
    registered: int
    delegates: int
    unreachable: int


async def registrations(reader: Reader) -> Registrations:
    row = await reader.fetchone(
        """SELECT (SELECT COUNT(*) FROM telegram_user WHERE delegate_id IS NOT NULL),
                  (SELECT COUNT(*) FROM delegate),
                  (SELECT COUNT(*) FROM telegram_user
                    WHERE delegate_id IS NOT NULL AND reachable = 0)"""
    )
    assert row is not None  # an aggregate always answers one row
    return Registrations(int(row[0]), int(row[1]), int(row[2]))


async def outbox_states_since(reader: Reader, since: float) -> dict[str, int]:
    """How many messages are in each state among those sent or queued since `since`."""
    rows = await reader.fetchall(
        """SELECT state, COUNT(*) FROM outbox
            WHERE COALESCE(sent_at, created_at) >= ? GROUP BY state""",
        (since,),
    )
    return {row[0]: row[1] for row in rows}


async def overdue(reader: Reader, now: float) -> tuple[int, float | None]:
    """How many messages due by `now` are not sent yet, and the earliest one's due time."""
    row = await reader.fetchone(
        """SELECT COUNT(*), MIN(due_at) FROM outbox
            WHERE state IN ('waiting', 'sending') AND due_at <= ?""",
        (now,),
    )
    assert row is not None
    return int(row[0]), row[1]
