"""The outbox table: what waits to be sent, what was, and what could not be."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum

from bot.reply import Button, Reply, fit
from bot.storage.database import Database, Transaction


class Kind(StrEnum):
    URGENT = "urgent"
    CHANGE = "change"
    REMINDER = "reminder"
    BROADCAST = "broadcast"
    DIGEST = "digest"


UNLINKED = "account no longer linked to the delegate"


class Priority(IntEnum):
    """Lower goes first when more is waiting than the rate allows (SPEC §6)."""

    URGENT = 0
    CHANGE = 1
    REMINDER = 2
    BULK = 3


PRIORITY_OF: dict[Kind, Priority] = {
    Kind.URGENT: Priority.URGENT,
    Kind.CHANGE: Priority.CHANGE,
    Kind.REMINDER: Priority.REMINDER,
    Kind.BROADCAST: Priority.BULK,
    Kind.DIGEST: Priority.BULK,
}


class State(StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to push, already rendered in its recipient's language."""

    chat_id: int
    kind: Kind
    reply: Reply
    delegate_id: str | None = None
    broadcast_id: int | None = None
    silent: bool = False
    due_at: float | None = None


@dataclass(frozen=True, slots=True)
class Queued:
    """An outbox row the worker has claimed."""

    id: int
    chat_id: int
    priority: int
    text: str
    buttons: tuple[tuple[Button, ...], ...]
    silent: bool
    attempts: int


def _buttons_json(reply: Reply) -> str | None:
    if not reply.buttons:
        return None
    return json.dumps(
        [[{"text": b.text, "data": b.data, "url": b.url} for b in row] for row in reply.buttons],
        ensure_ascii=False,
    )


def _buttons(raw: str | None) -> tuple[tuple[Button, ...], ...]:
    if not raw:
        return ()
    return tuple(
        tuple(Button(b["text"], b.get("data"), b.get("url")) for b in row)
        for row in json.loads(raw)
    )


async def enqueue(tx: Transaction, messages: Iterable[Outgoing], now: float) -> int:
    """Add messages inside the caller's transaction, so they commit with its change."""
    # A message too long for Telegram would fail for good: it goes as several.
    messages = [replace(m, reply=part) for m in messages for part in fit(m.reply)]
    rows = [
        (
            m.chat_id,
            m.delegate_id,
            m.kind.value,
            int(PRIORITY_OF[m.kind]),
            m.reply.text,
            _buttons_json(m.reply),
            int(m.silent),
            m.broadcast_id,
            m.due_at if m.due_at is not None else now,
            now,
        )
        for m in messages
    ]
    await tx.executemany(
        """INSERT INTO outbox (chat_id, delegate_id, kind, priority, text, buttons, silent,
                               broadcast_id, due_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    return len(rows)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one claimed row, recorded in batches."""

    id: int
    state: State
    at: float
    message_id: int | None = None
    error: str | None = None
    retry_at: float | None = None


class OutboxStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def recover(self) -> int:
        """After a crash, put claimed-but-unrecorded rows back; returns how many.

        These are the only messages that can be sent twice: their request may have
        reached Telegram before the process died.
        """
        async with self._db.transaction() as tx:
            return await tx.execute("UPDATE outbox SET state = 'waiting' WHERE state = 'sending'")

    async def claim(self, limit: int, now: float) -> list[Queued]:
        """Take up to `limit` due rows, most urgent first, and mark them as being sent."""
        async with self._db.transaction() as tx:
            # A row for a delegate goes only to the account linked to that delegate now:
            # after `invites --reissue` or /forget, what was queued for the old account is
            # dropped rather than sent to a chat that no longer speaks for the delegate.
            claimed = await tx.fetchall(
                """SELECT o.id, o.chat_id, o.priority, o.text, o.buttons, o.silent, o.attempts,
                          o.delegate_id IS NULL OR EXISTS (
                              SELECT 1 FROM telegram_user u
                               WHERE u.user_id = o.chat_id AND u.delegate_id = o.delegate_id
                          ) AS linked
                     FROM outbox o
                    WHERE o.state = 'waiting' AND o.due_at <= ?
                    ORDER BY o.priority, o.id LIMIT ?""",
                (now, limit),
            )
            rows = [r for r in claimed if r["linked"]]
            if rows:
                await tx.executemany(
                    "UPDATE outbox SET state = 'sending' WHERE id = ?", [(r["id"],) for r in rows]
                )
            await tx.executemany(
                f"""UPDATE outbox SET state = 'failed', last_error = '{UNLINKED}'
                     WHERE id = ?""",
                [(r["id"],) for r in claimed if not r["linked"]],
            )
        return [
            Queued(
                id=r["id"],
                chat_id=r["chat_id"],
                priority=r["priority"],
                text=r["text"],
                buttons=_buttons(r["buttons"]),
                silent=bool(r["silent"]),
                attempts=r["attempts"],
            )
            for r in rows
        ]

    async def next_due(self) -> float | None:
        """When the earliest waiting row becomes due (for sleeping until then)."""
        value = await self._db.fetchvalue("SELECT MIN(due_at) FROM outbox WHERE state = 'waiting'")
        return None if value is None else float(value)

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        """Write a batch of results in one transaction."""
        if not outcomes:
            return
        sent = [(o.at, o.message_id, o.id) for o in outcomes if o.state is State.SENT]
        retry = [(o.retry_at, o.error, o.id) for o in outcomes if o.state is State.WAITING]
        final = [
            (o.state.value, o.error, o.id)
            for o in outcomes
            if o.state in (State.FAILED, State.UNREACHABLE)
        ]
        async with self._db.transaction() as tx:
            await tx.executemany(
                """UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?,
                          attempts = attempts + 1 WHERE id = ?""",
                sent,
            )
            await tx.executemany(
                """UPDATE outbox SET state = 'waiting', due_at = ?, last_error = ?,
                          attempts = attempts + 1 WHERE id = ?""",
                retry,
            )
            await tx.executemany(
                """UPDATE outbox SET state = ?, last_error = ?, attempts = attempts + 1
                    WHERE id = ?""",
                final,
            )

    async def mark_unreachable(self, chat_id: int, error: str) -> None:
        """A user blocked the bot: stop everything still waiting for them."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE telegram_user SET reachable = 0 WHERE user_id = ?", (chat_id,))
            await tx.execute(
                """UPDATE outbox SET state = 'unreachable', last_error = ?
                    WHERE chat_id = ? AND state = 'waiting'""",
                (error, chat_id),
            )

    async def counts(self, since: float | None = None) -> dict[str, int]:
        """Rows per state (optionally only those created since a time)."""
        rows = await self._db.fetchall(
            "SELECT state, COUNT(*) FROM outbox WHERE created_at >= ? GROUP BY state",
            (since or 0.0,),
        )
        counts = {state.value: 0 for state in State}
        counts.update({row[0]: row[1] for row in rows})
        return counts
