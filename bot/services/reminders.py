"""Reminders and the daily digest: found in SQLite, queued in the outbox, exactly once.

The ledgers make it exactly once: a reminder is queued in the same transaction that
records (delegate, session, start) in `reminder_ledger`, and a row already there is
never queued again, across restarts too. A session moved to a new time has a new start,
so its delegates are reminded of the new time.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, datetime, timedelta, tzinfo

from bot.domain.agenda import day_bounds
from bot.domain.models import Session
from bot.domain.reminders import RATE_HEADROOM, DueGroup
from bot.i18n import Catalogs
from bot.storage.database import Database, Reader
from bot.storage.outbox import Kind, Outgoing, enqueue
from bot.storage.programme import from_timestamp, sessions_by_ids, to_timestamp
from bot.storage.recipients import COLUMNS, Recipient, recipient
from bot.storage.venue import rooms_by_key
from bot.views import notices as views
from bot.views.reply import Reply

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

HORIZON = timedelta(days=60)


class Reminders:
    def __init__(
        self,
        database: Database,
        catalogs: Catalogs,
        default_lead: int,
        discreet: bool,
        rate: float = 30.0,
    ) -> None:
        self._db = database
        self._catalogs = catalogs
        self._lead = default_lead
        self._discreet = discreet
        self._rate = max(rate * RATE_HEADROOM, 0.1)

    async def due_groups(self, now: datetime) -> list[DueGroup]:
        """How many reminders fall due at each instant from now on (for planning jobs)."""
        rows = await self._db.fetchall(
            f"{_PAIRS} SELECT {_DUE_AT} AS due, COUNT(*) AS n {_DUE} GROUP BY due",
            self._params(now),
        )
        return [DueGroup(from_timestamp(row["due"]), row["n"]) for row in rows]

    async def send_due(self, target: datetime, now: datetime) -> int:
        """Queue every reminder due by `target` whose session has not begun; returns count."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                f"""{_PAIRS} SELECT p.session_id, p.starts_at, {_DUE_AT} AS due, {COLUMNS}
                    {_DUE} AND {_DUE_AT} <= :target ORDER BY due, p.session_id""",
                {**self._params(now), "target": to_timestamp(target)},
            )
            if not rows:
                return 0
            sessions = await sessions_by_ids(tx, sorted({row["session_id"] for row in rows}))
            rendered: dict[tuple[str, str], Reply] = {}
            rooms = await rooms_by_key(tx)
            not_before = _spread([row["due"] for row in rows], self._rate, now.timestamp())
            messages = []
            for row, send_at in zip(rows, not_before, strict=True):
                person = recipient(row)
                session = sessions[row["session_id"]]
                language = person.language(self._catalogs.default)
                key = (language, session.id)
                if key not in rendered:
                    t = self._catalogs.get(language)
                    rendered[key] = views.reminder(t, session, discreet=self._discreet, rooms=rooms)
                messages.append(
                    Outgoing(
                        person.user_id,
                        Kind.REMINDER,
                        rendered[key],
                        person.delegate_id,
                        due_at=send_at,
                    )
                )
            moment = time.time()
            await tx.executemany(
                """INSERT INTO reminder_ledger (delegate_id, session_id, starts_at, sent_at)
                   VALUES (?, ?, ?, ?)""",
                [(row["delegate_id"], row["session_id"], row["starts_at"], moment) for row in rows],
            )
            await enqueue(tx, messages, moment)
        return len(messages)

    def _params(self, now: datetime) -> dict[str, object]:
        return {
            "now": to_timestamp(now),
            "horizon": to_timestamp(now + HORIZON),
            "lead": self._lead,
        }


def _spread(dues: list[int], rate: float, now: float) -> list[float]:
    """When each reminder may go: a group due at D is spread over the time it takes to
    send at `rate`, ending at D, so the first of a large group leaves early enough and a
    lone reminder leaves at its second, not when the job happened to wake."""
    counts: dict[int, int] = defaultdict(int)
    for due in dues:
        counts[due] += 1
    seen: dict[int, int] = defaultdict(int)
    result = []
    for due in dues:
        remaining = counts[due] - seen[due]
        seen[due] += 1
        result.append(max(now, due - (remaining - 1) / rate))
    return result


class Digests:
    """The morning message with the delegate's whole day."""

    def __init__(
        self, database: Database, catalogs: Catalogs, venue: tzinfo, discreet: bool
    ) -> None:
        self._db = database
        self._catalogs = catalogs
        self._venue = venue
        self._discreet = discreet

    async def send_for_day(self, day: date) -> int:
        """Queue the day's digest for every delegate with something that day, once."""
        start, end = day_bounds(day, self._venue)
        async with self._db.transaction() as tx:
            pairs = await _day_pairs(tx, to_timestamp(start), to_timestamp(end), day.isoformat())
            if not pairs:
                return 0
            sessions = await sessions_by_ids(tx, sorted({s for _, s in pairs}))
            agenda: dict[Recipient, list[Session]] = defaultdict(list)
            for person, session_id in pairs:
                agenda[person].append(sessions[session_id])
            messages = []
            for person, items in agenda.items():
                items.sort(key=lambda s: (s.start, s.end, s.id))
                t = self._catalogs.get(person.language(self._catalogs.default))
                for reply in views.digest(t, day, items, discreet=self._discreet):
                    messages.append(
                        Outgoing(person.user_id, Kind.DIGEST, reply, person.delegate_id)
                    )
            moment = time.time()
            await tx.executemany(
                "INSERT INTO digest_ledger (delegate_id, day, sent_at) VALUES (?, ?, ?)",
                [(person.delegate_id, day.isoformat(), moment) for person in agenda],
            )
            await enqueue(tx, messages, moment)
        return len(agenda)


async def _day_pairs(reader: Reader, start: int, end: int, day: str) -> list[tuple[Recipient, str]]:
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
