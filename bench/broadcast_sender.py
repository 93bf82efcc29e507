"""The sending side of bench/broadcast.py, in its own process so its CPU is its own.

`ours`: the bot's DeliveryWorker draining the outbox of a prepared database, through the
governor (the bot's rate limiter), as in the bot.
`stock`: the same messages sent with python-telegram-bot's AIORateLimiter, one task per
message (bounded by the same number of concurrent requests), the way a bot without an
outbox would do it.

Prints one JSON line: elapsed seconds, CPU seconds, peak RSS in MB, and counters.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sqlite3
import time
from pathlib import Path

from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.storage.database import Database
from bot.storage.outbox import OutboxStore
from bot.telegram.delivery_worker import DeliveryWorker, in_flight_limit
from bot.telegram.governor import Governor
from bot.telegram.http import ShardedRequest


async def ours(database_path: Path, token: str, base_url: str, rate: float) -> dict[str, float]:
    database = await Database.open(database_path)
    governor = Governor(rate)
    bot = ExtBot(
        token,
        base_url=base_url,
        request=ShardedRequest(in_flight_limit(rate)),
        rate_limiter=governor,
    )
    outbox = OutboxStore(database)
    total = int(await database.fetchvalue("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"))
    async with bot:
        worker = DeliveryWorker(outbox, bot.send_message, governor)
        await worker.start()
        # Watch the worker's own counters: polling the outbox would cost the sender CPU.
        while worker.stats.sent + worker.stats.failed + worker.stats.unreachable < total:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await worker.stop()
    await database.close()
    return {
        "sent": worker.stats.sent,
        "failed": worker.stats.failed,
        "retried": worker.stats.retried,
        "throttled": governor.stats.throttled,
        "global_pauses": governor.stats.global_pauses,
    }


async def stock(database_path: Path, token: str, base_url: str, rate: float) -> dict[str, float]:
    rows = sqlite3.connect(database_path).execute("SELECT chat_id, text FROM outbox").fetchall()
    limiter = AIORateLimiter(overall_max_rate=rate, overall_time_period=1, max_retries=5)
    pool = in_flight_limit(rate) + 8
    bot = ExtBot(
        token,
        base_url=base_url,
        rate_limiter=limiter,
        request=HTTPXRequest(connection_pool_size=pool),
    )
    gate = asyncio.Semaphore(pool)
    sent = failed = 0

    async def one(chat_id: int, text: str) -> None:
        nonlocal sent, failed
        async with gate:
            try:
                await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
                sent += 1
            except (RetryAfter, TelegramError):
                failed += 1

    async with bot:
        await asyncio.gather(*(one(chat, text) for chat, text in rows))
    return {"sent": sent, "failed": failed}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["ours", "stock"])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--rate", type=float, required=True)
    options = parser.parse_args()
    run = ours if options.mode == "ours" else stock
    before = _cpu()
    started = time.perf_counter()
    counters = asyncio.run(run(options.database, options.token, options.base_url, options.rate))
    elapsed = time.perf_counter() - started
    cpu = _cpu() - before  # the sending only, not the interpreter's start-up and imports
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "cpu": cpu,
                "peak_mb": usage.ru_maxrss / 1024,
                **counters,
            }
        )
    )


if __name__ == "__main__":
    main()
