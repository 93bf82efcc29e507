"""Who is due a reminder or a digest, and the ledgers that make each go exactly once.

A reminder is recorded as (delegate, session, start) in `reminder_ledger` in the
transaction that queues it, and a row already there is never queued again, across
restarts too; a session moved to a new time has a new start, so it is reminded anew.
A digest is recorded as (delegate, venue day) in `digest_ledger`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.storage.database import Reader, Transaction
from bot.storage.recipients import COLUMNS, Recipient, recipient

# Each delegate's (session, start) pairs still to be reminded of: attendance, plus every
# open plenary for everyone. The plenary half is kept out of the attendance half so that
# UNION ALL never counts a pair twice.
_PAIRS = """
    WITH pairs(delegate_id, session_id, starts_at) AS (
        SELECT a.delegate_id, s.id, s.starts_at FROM attendance a
          JOIN session s ON s.id = a.session_id
         WHERE s.status = 'scheduled' AND s.starts_at > :now AND s.starts_at <= :horizon
           AND NOT (s.kind = 'plenary' AND s.audience = 'all')
        UNION ALL
        SELECT u.delegate_id, s.id, s.starts_at FROM session s
          JOIN telegram_user u ON u.delegate_id IS NOT NULL
         WHERE s.kind = 'plenary' AND s.audience = 'all' AND s.status = 'scheduled'
           AND s.starts_at > :now AND s.starts_at <= :horizon
    )
"""
_DUE = """
    FROM pairs p
    JOIN telegram_user u ON u.delegate_id = p.delegate_id
    JOIN delegate d ON d.id = p.delegate_id
   WHERE u.reachable = 1 AND COALESCE(u.reminder_lead, :lead) > 0
     AND NOT EXISTS (SELECT 1 FROM reminder_ledger l
                      WHERE l.delegate_id = p.delegate_id AND l.session_id = p.session_id
                        AND l.starts_at = p.starts_at)
"""
_DUE_AT = "p.starts_at - 60 * COALESCE(u.reminder_lead, :lead)"


@dataclass(frozen=True, slots=True)
class DueReminder:
    person: Recipient
    session_id: str
    starts_at: int
    due: int
    """When it should arrive: the start minus the delegate's lead (epoch seconds)."""


def _window(now: int, horizon: int, lead: int) -> dict[str, object]:
    return {"now": now, "horizon": horizon, "lead": lead}


async def due_counts(reader: Reader, now: int, horizon: int, lead: int) -> list[tuple[int, int]]:
    """(due instant, how many) of the reminders not yet sent for sessions starting in
    (now, horizon]; `lead` is the minutes of delegates who chose none."""
    rows = await reader.fetchall(
        f"{_PAIRS} SELECT {_DUE_AT} AS due, COUNT(*) AS n {_DUE} GROUP BY due",
        _window(now, horizon, lead),
    )
    return [(row["due"], row["n"]) for row in rows]


async def due_by(
    reader: Reader, target: int, now: int, horizon: int, lead: int
) -> list[DueReminder]:
    """The reminders not yet sent that fall due by `target`, by due time and session."""
    rows = await reader.fetchall(
        f"""{_PAIRS} SELECT p.session_id, p.starts_at, {_DUE_AT} AS due, {COLUMNS}
            {_DUE} AND {_DUE_AT} <= :target ORDER BY due, p.session_id""",
        {**_window(now, horizon, lead), "target": target},
    )
    return [
        DueReminder(recipient(row), row["session_id"], row["starts_at"], row["due"]) for row in rows
    ]


async def record_reminders(tx: Transaction, sent: Sequence[DueReminder], at: float) -> None:
    await tx.executemany(
        """INSERT INTO reminder_ledger (delegate_id, session_id, starts_at, sent_at)
           VALUES (?, ?, ?, ?)""",
        [(item.person.delegate_id, item.session_id, item.starts_at, at) for item in sent],
    )


async def digest_pairs(
    reader: Reader, start: int, end: int, day: str
) -> list[tuple[Recipient, str]]:
    """(delegate, session id) for every scheduled agenda item running in [start, end) of a
    delegate who has not had the digest of `day` (ISO date) yet."""
    rows = await reader.fetchall(
        f"""WITH day_sessions AS (
                SELECT id, kind, audience FROM session
                 -- Every session running that day: one across midnight is on both days.
                 WHERE starts_at < :end AND ends_at > :start AND status = 'scheduled'),
            pairs(delegate_id, session_id) AS (
                SELECT a.delegate_id, s.id FROM attendance a JOIN day_sessions s
                    ON s.id = a.session_id
                 WHERE NOT (s.kind = 'plenary' AND s.audience = 'all')
                UNION ALL
                SELECT u.delegate_id, s.id FROM day_sessions s
                  JOIN telegram_user u ON u.delegate_id IS NOT NULL
                 WHERE s.kind = 'plenary' AND s.audience = 'all')
            SELECT p.session_id, {COLUMNS} FROM pairs p
              JOIN telegram_user u ON u.delegate_id = p.delegate_id
              JOIN delegate d ON d.id = p.delegate_id
             WHERE u.reachable = 1
               AND NOT EXISTS (SELECT 1 FROM digest_ledger l
                                WHERE l.delegate_id = p.delegate_id AND l.day = :day)""",
        {"start": start, "end": end, "day": day},
    )
    return [(recipient(row), row["session_id"]) for row in rows]


async def record_digests(tx: Transaction, delegate_ids: Sequence[str], day: str, at: float) -> None:
    await tx.executemany(
        "INSERT INTO digest_ledger (delegate_id, day, sent_at) VALUES (?, ?, ?)",
        [(delegate_id, day, at) for delegate_id in delegate_ids],
    )
