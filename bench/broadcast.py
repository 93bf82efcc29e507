"""Broadcast delivery rate: the bot's outbox sender against PTB's stock AIORateLimiter.

For each scenario a fresh database holds one accepted broadcast (one outbox row per
recipient); a sender process drains it into the Telegram emulator, which runs here with
Telegram's limits switched on (the global rate under test, about one message a second
per chat). Measured at the emulator: messages delivered per second between the first
and the last delivery, 429 answers, duplicates; in the sender: CPU seconds and peak RSS.

    .venv/bin/python -m bench.broadcast            # both scenarios (about 5 minutes)
    .venv/bin/python -m bench.broadcast --quick    # a small smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.common import publish
from bot.reply import Reply
from bot.sandbox.emulator import RateLimits, TelegramEmulator
from bot.storage.database import Database
from bot.storage.outbox import Kind, Outgoing, enqueue

TOKEN = "123456:BENCH-token"
RESULTS = Path(__file__).parent / "results" / "broadcast.md"
FIRST_USER = 10_000_000


@dataclass(frozen=True)
class Scenario:
    label: str
    rate: float
    recipients: int


FULL = (
    Scenario("30 msg/s limit, 3,000 recipients", 30, 3_000),
    Scenario("1,000 msg/s limit (paid broadcasts), 20,000 recipients", 1_000, 20_000),
)
QUICK = (Scenario("100 msg/s limit, 300 recipients", 100, 300),)


@dataclass
class Result:
    scenario: Scenario
    sender: str
    delivered: int
    achieved: float
    throttled: int
    duplicates: int
    cpu: float
    peak_mb: float
    elapsed: float

    @property
    def ratio(self) -> float:
        return self.achieved / self.scenario.rate

    @property
    def cpu_per_thousand(self) -> float:
        return self.cpu / max(1, self.delivered) * 1000


async def prepare(path: Path, recipients: int) -> None:
    database = await Database.open(path)
    users = range(FIRST_USER, FIRST_USER + recipients)
    text = "📢 <b>Announcement from the organizers</b>\n\nBuses leave at 18:00 from Gate 2."
    async with database.transaction() as tx:
        await tx.execute("INSERT INTO delegation (name) VALUES ('Bench')")
        await tx.executemany(
            "INSERT INTO delegate (id, name, delegation_id) VALUES (?, ?, 1)",
            [(f"d{u}", f"Delegate {u}") for u in users],
        )
        await tx.executemany(
            "INSERT INTO telegram_user (user_id, delegate_id) VALUES (?, ?)",
            [(u, f"d{u}") for u in users],
        )
        messages = [
            Outgoing(chat_id=u, kind=Kind.BROADCAST, reply=Reply(text), delegate_id=f"d{u}")
            for u in users
        ]
        await enqueue(tx, messages, time.time())
    await database.close()


async def run(scenario: Scenario, sender: str) -> Result:
    # Lenient (a second's worth of global burst): this measures the sender, not Telegram.
    limits = RateLimits.lenient(scenario.rate)
    with tempfile.TemporaryDirectory(prefix="summitbot-bench-") as folder:
        database = Path(folder) / "bench.db"
        await prepare(database, scenario.recipients)
        async with TelegramEmulator(token=TOKEN, rate_limits=limits) as emulator:
            for user_id in range(FIRST_USER, FIRST_USER + scenario.recipients):
                await emulator.user(user_id).send("/start")
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.broadcast_sender",
                sender,
                "--database",
                str(database),
                "--token",
                TOKEN,
                "--base-url",
                emulator.api_base_url,
                "--rate",
                str(scenario.rate),
                stdout=asyncio.subprocess.PIPE,
            )
            stdout, _ = await process.communicate()
            report = json.loads(stdout.decode().strip().splitlines()[-1])
            sends = [
                r
                for r in emulator.requests
                if r.method.lower() == "sendmessage" and r.status == 200
            ]
            throttled = sum(1 for r in emulator.requests if r.status == 429)
            per_chat = Counter(r.params.get("chat_id") for r in sends)
            duplicates = sum(count - 1 for count in per_chat.values())
            span = sends[-1].time - sends[0].time if len(sends) > 1 else 0.0
            achieved = (len(sends) - 1) / span if span > 0 else 0.0
    return Result(
        scenario,
        sender,
        len(per_chat),
        achieved,
        throttled,
        duplicates,
        report["cpu"],
        report["peak_mb"],
        report["elapsed"],
    )


def markdown(results: list[Result], command: str) -> str:
    lines = [
        "## Broadcast delivery",
        "",
        f"Machine: {_machine()}. Command: `{command}` (also run by `make bench`).",
        "",
        "One accepted broadcast, one message per recipient, drained into the emulator with "
        "Telegram's limits on, leniently (the global limit below with a second's worth of "
        "burst, about one message a second per chat): this measures the sender. "
        "*ours* is the bot's outbox worker sending through its governor (the bot's rate "
        "limiter); *stock* is python-telegram-bot's `AIORateLimiter` "
        "with one task per message over PTB's default `HTTPXRequest` (the same number of "
        "requests in flight). Achieved rate is measured at the emulator from the first "
        "to the last delivery. Target: at least 0.95 of the limit.",
        "",
        "| scenario | sender | delivered | achieved msg/s | of limit | 429s | duplicates "
        "| CPU s / 1,000 msgs | peak MB | wall s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario.label} | {r.sender} | {r.delivered:,} | {r.achieved:,.1f} "
            f"| {r.ratio:.3f} | {r.throttled} | {r.duplicates} | {r.cpu_per_thousand:.2f} "
            f"| {r.peak_mb:.0f} | {r.elapsed:.1f} |"
        )
    return "\n".join(lines) + "\n"


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


async def main_async(quick: bool, write: bool) -> None:
    results = []
    for scenario in QUICK if quick else FULL:
        for sender in ("ours", "stock"):
            result = await run(scenario, sender)
            print(
                f"{scenario.label} / {sender}: {result.achieved:.1f} msg/s "
                f"({result.ratio:.3f} of limit), 429s {result.throttled}, "
                f"duplicates {result.duplicates}, delivered {result.delivered}",
                flush=True,
            )
            results.append(result)
    command = ".venv/bin/python -m bench.broadcast" + (" --quick" if quick else "")
    text = markdown(results, command)
    publish(RESULTS, text, write=write)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one small scenario")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results")
    options = parser.parse_args()
    asyncio.run(main_async(options.quick, write=not options.no_write))


if __name__ == "__main__":
    main()
