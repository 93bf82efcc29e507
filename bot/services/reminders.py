"""Reminders and the daily digest: found in SQLite, queued in the outbox, exactly once.

The ledgers make it exactly once (`bot.storage.reminders`): a reminder is queued in the
same transaction that records (delegate, session, start), and a recorded one is never
queued again, across restarts too. A session moved to a new time has a new start, so
its delegates are reminded of the new time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, tzinfo

from bot.clock import Clock, SystemClock
from bot.domain.agenda import day_bounds
from bot.domain.models import Session
from bot.domain.reminders import RATE_HEADROOM, DueGroup
from bot.i18n import Catalogs
from bot.reply import Reply
from bot.storage import reminders as ledger
from bot.storage.database import Database
from bot.storage.outbox import Kind, Outgoing, enqueue
from bot.storage.programme import from_timestamp, sessions_by_ids, to_timestamp
from bot.storage.recipients import Recipient
from bot.storage.rooms import rooms_by_key
from bot.views import notices as views

HORIZON = timedelta(days=60)


class Reminders:
    def __init__(
        self,
        database: Database,
        catalogs: Catalogs,
        default_lead: int,
        discreet: bool,
        rate: float = 30.0,
        clock: Clock | None = None,
    ) -> None:
        self._db = database
        self._clock = clock or SystemClock()
        self._catalogs = catalogs
        self._lead = default_lead
        self._discreet = discreet
        self._rate = max(rate * RATE_HEADROOM, 0.1)

    async def due_groups(self, now: datetime) -> list[DueGroup]:
        """How many reminders fall due at each instant from now on (for planning jobs)."""
        counts = await ledger.due_counts(self._db, *self._window(now))
        return [DueGroup(from_timestamp(due), count) for due, count in counts]

    async def send_due(self, target: datetime, now: datetime) -> int:
        """Queue every reminder due by `target` whose session has not begun; returns count."""
        async with self._db.transaction() as tx:
            rows = await ledger.due_by(tx, to_timestamp(target), *self._window(now))
            if not rows:
                return 0
            sessions = await sessions_by_ids(tx, sorted({row.session_id for row in rows}))
            rendered: dict[tuple[str, str], Reply] = {}
            rooms = await rooms_by_key(tx)
            not_before = _spread([row.due for row in rows], self._rate, now.timestamp())
            messages = []
            for row, send_at in zip(rows, not_before, strict=True):
                person = row.person
                session = sessions[row.session_id]
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
            moment = self._clock.time()
            await ledger.record_reminders(tx, rows, moment)
            await enqueue(tx, messages, moment)
        return len(messages)

    def _window(self, now: datetime) -> tuple[int, int, int]:
        """(now, horizon, default lead): the reminder queries' parameters."""
        return to_timestamp(now), to_timestamp(now + HORIZON), self._lead


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
        self,
        database: Database,
        catalogs: Catalogs,
        venue: tzinfo,
        discreet: bool,
        clock: Clock | None = None,
    ) -> None:
        self._db = database
        self._clock = clock or SystemClock()
        self._catalogs = catalogs
        self._venue = venue
        self._discreet = discreet

    async def send_for_day(self, day: date) -> int:
        """Queue the day's digest for every delegate with something that day, once."""
        start, end = day_bounds(day, self._venue)
        async with self._db.transaction() as tx:
            pairs = await ledger.digest_pairs(
                tx, to_timestamp(start), to_timestamp(end), day.isoformat()
            )
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
            moment = self._clock.time()
            await ledger.record_digests(
                tx, [person.delegate_id for person in agenda], day.isoformat(), moment
            )
            await enqueue(tx, messages, moment)
        return len(agenda)
