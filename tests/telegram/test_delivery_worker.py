"""The delivery worker against a real SQLite outbox and a recording fake of send_message.

It runs on the settable clock of `conftest.py`: its waits and the governor's move the clock.
"""

import asyncio
from datetime import timedelta

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.reply import Reply
from bot.storage.database import Database
from bot.storage.outbox import Kind, OutboxStore, Outgoing, enqueue
from bot.telegram.delivery_worker import DeliveryWorker
from bot.telegram.governor import Governor


class FakeTelegram:
    """send_message passes the governor, as ExtBot.send_message does in the bot."""

    def __init__(self, virtual, rate=100):
        self.sent: list[tuple[int, str]] = []
        self.failures: dict[int, list[Exception]] = {}
        self.delay = 0.0
        self.governor = Governor(rate, clock=virtual.clock, timer=virtual)
        self.virtual = virtual
        self.delivered = asyncio.Event()

    async def send_message(self, *, chat_id, text, rate_limit_args=None, **kwargs):
        async def call():
            return await self._deliver(chat_id, text)

        data = {"chat_id": chat_id}
        return await self.governor.process_request(
            call, (), {}, "sendMessage", data, rate_limit_args
        )

    async def _deliver(self, chat_id, text):
        if self.delay:
            await self.virtual.sleep(self.delay)
        queue = self.failures.get(chat_id)
        if queue:
            raise queue.pop(0)
        self.sent.append((chat_id, text))
        self.delivered.set()

        class Message:
            message_id = len(self.sent)

        return Message()


@pytest.fixture
async def database(tmp_path):
    db = await Database.open(tmp_path / "summit.db")
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO delegation (name) VALUES ('X')")
        await tx.executemany(
            "INSERT INTO delegate (id, name, delegation_id) VALUES (?, ?, 1)",
            [(f"d{i}", f"D{i}") for i in range(1, 6)],
        )
        await tx.executemany(
            "INSERT INTO telegram_user (user_id, delegate_id) VALUES (?, ?)",
            [(i, f"d{i}") for i in range(1, 6)],
        )
    yield db
    await db.close()


async def put(db, clock, *messages):
    async with db.transaction() as tx:
        await enqueue(tx, messages, clock.time())


def message(chat, kind=Kind.BROADCAST, text=None):
    return Outgoing(chat_id=chat, kind=kind, reply=Reply(text or f"to {chat}"))


async def running_worker(database, telegram):
    """A delivery worker on the outbox, sending through `telegram`'s governor, running."""
    worker = DeliveryWorker(OutboxStore(database), telegram.send_message, telegram.governor)
    await worker.start()
    return worker


async def deliver(database, telegram, expected):
    """Run a delivery worker until `expected` messages are sent, then stop it."""
    await drain(await running_worker(database, telegram), telegram, expected)


async def drain(worker, telegram, expected, timeout=10):
    deadline = asyncio.get_running_loop().time() + timeout
    while len(telegram.sent) < expected:
        assert asyncio.get_running_loop().time() < deadline, telegram.sent
        await asyncio.sleep(0.01)
    await worker.stop()


async def states(db):
    return {
        row[0]: row[1]
        for row in await db.fetchall("SELECT state, COUNT(*) FROM outbox GROUP BY state")
    }


async def test_sends_in_priority_order(database, clock, virtual):
    telegram = FakeTelegram(virtual)
    await put(
        database,
        clock,
        message(1, text="bulk"),
        message(2, Kind.REMINDER, "reminder"),
        message(3, Kind.URGENT, "urgent"),
        message(4, Kind.CHANGE, "change"),
    )
    await deliver(database, telegram, 4)
    assert [text for _, text in telegram.sent] == ["urgent", "change", "reminder", "bulk"]
    assert await states(database) == {"sent": 4}


async def test_blocked_user_is_unreachable_and_nothing_more_goes_to_them(database, clock, virtual):
    telegram = FakeTelegram(virtual)
    telegram.failures[2] = [Forbidden("Forbidden: bot was blocked by the user")]
    await put(database, clock, message(2), message(1))
    await deliver(database, telegram, 1)
    assert await states(database) == {"sent": 1, "unreachable": 1}
    assert await database.fetchvalue("SELECT reachable FROM telegram_user WHERE user_id = 2") == 0


async def test_bad_request_fails_with_the_reason(database, clock, virtual):
    telegram = FakeTelegram(virtual)
    telegram.failures[1] = [BadRequest("Can't parse entities")]
    await put(database, clock, message(1), message(2))
    await deliver(database, telegram, 1)
    row = await database.fetchone("SELECT state, last_error FROM outbox WHERE chat_id = 1")
    assert tuple(row) == ("failed", "Can't parse entities")


async def test_server_errors_are_retried_until_sent(database, clock, virtual, monkeypatch):
    monkeypatch.setattr("bot.telegram.delivery_worker.backoff", lambda attempts: 0.05)
    telegram = FakeTelegram(virtual)
    telegram.failures[1] = [NetworkError("Bad Gateway"), NetworkError("Internal Server Error")]
    await put(database, clock, message(1))
    await deliver(database, telegram, 1)
    row = await database.fetchone("SELECT state, attempts FROM outbox")
    assert tuple(row) == ("sent", 3)


async def test_retry_after_keeps_the_row_and_sends_it_after_the_window(database, clock, virtual):
    telegram = FakeTelegram(virtual)
    telegram.failures[1] = [RetryAfter(timedelta(seconds=1))]
    await put(database, clock, message(1, text="first"), *[message(c) for c in (2, 3, 4, 5)])
    worker = await running_worker(database, telegram)
    started = clock.monotonic()
    await drain(worker, telegram, 5)
    assert sorted(chat for chat, _ in telegram.sent) == [1, 2, 3, 4, 5]
    assert telegram.sent.count((1, "first")) == 1
    assert clock.monotonic() - started >= 0.9
    # Chats 2-5 were on their way before the 429; then the governor paused everything
    # (Telegram does not say which scope it closed).
    assert telegram.governor.stats.global_pauses == 1


async def test_stop_leaves_the_rest_waiting_and_restart_sends_it(database, clock, virtual):
    telegram = FakeTelegram(virtual, rate=2)
    await put(database, clock, *[message(c) for c in range(1, 6)])
    worker = await running_worker(database, telegram)
    with virtual.held():  # the first message goes at once (the database works in a thread)
        await asyncio.wait_for(telegram.delivered.wait(), 10)
    await virtual.sleep(0.3)  # the next is due half a second after the first
    await worker.stop()
    counts = await states(database)
    assert counts.get("sending", 0) == 0
    assert counts["waiting"] >= 3
    again = await running_worker(database, telegram)
    await drain(again, telegram, 5)
    assert sorted(chat for chat, _ in telegram.sent) == [1, 2, 3, 4, 5]


async def test_recover_puts_claimed_rows_back(database, clock, virtual):
    await put(database, clock, message(1), message(2))
    outbox = OutboxStore(database)
    claimed = await outbox.claim(10, clock.time())
    assert len(claimed) == 2
    assert await outbox.recover() == 2
    assert await states(database) == {"waiting": 2}
