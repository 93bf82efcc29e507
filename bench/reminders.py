"""Reminders at summit scale: job rebuild at start-up, memory, and a plenary's fan-out.

Part 1: the 20,000-delegate summit of bench/make_summit.py, every delegate registered,
starting tomorrow; `summitbot run` is started against the emulator and its log says how
long planning every reminder job took; peak memory is read from /proc.
Part 2: a plenary of 3,000 registered delegates with a one-minute lead, delivered at
Telegram's 30 messages a second (the emulator enforcing it): 3,000 reminders take 100 s,
so the bot must start early; the latest must arrive no later than one minute before the
start.

    .venv/bin/python -m bench.reminders          # about 6 minutes
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.broadcast import _machine
from bench.common import publish
from bench.make_summit import make_summit
from bot.sandbox.emulator import RateLimits, TelegramEmulator
from tests.support.bot_process import TOKEN, BotProcess, summitbot, write_config
from tests.support.summit_files import to_csv

RESULTS = Path(__file__).parent / "results" / "reminders.md"
FIRST_USER = 20_000_000
VENUE = ZoneInfo("Asia/Riyadh")
PLANNED = re.compile(r"planned (\d+) reminder runs for (\d+) reminders in ([\d.]+) s")


@dataclass
class Rebuild:
    delegates: int
    reminders: int
    runs: int
    plan_seconds: float
    ready_seconds: float
    peak_mb: float


@dataclass
class FanOut:
    recipients: int
    delivered: int
    first_before_start: float
    last_before_start: float
    lead_seconds: float
    throttled: int


def register_everyone(database: Path) -> int:
    """Link every delegate to a Telegram account, as 20,000 /start commands would."""
    connection = sqlite3.connect(database)
    with connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM delegate ORDER BY id")]
        connection.executemany(
            "INSERT INTO telegram_user (user_id, delegate_id) VALUES (?, ?)",
            [(FIRST_USER + i, delegate) for i, delegate in enumerate(ids)],
        )
    connection.close()
    return len(ids)


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def rebuild(delegates: int) -> Rebuild:
    with tempfile.TemporaryDirectory(prefix="summitbot-bench-") as folder:
        directory = Path(folder)
        tomorrow = datetime.now(VENUE).date() + timedelta(days=1)
        size = make_summit(directory / "data", delegates=delegates, start=tomorrow)
        async with TelegramEmulator(token=TOKEN) as emulator:
            config = write_config(directory, emulator.api_base_url, extra="")
            config.write_text(config.read_text().replace('level = "DEBUG"', 'level = "INFO"'))
            files = [str(path) for path in size.files]
            imported = await summitbot("import", "--config", str(config), *files, timeout=300)
            assert imported.code == 0, imported.stderr
            registered = register_everyone(directory / "summit.db")
            bot = BotProcess(config, directory / "bot.log")
            started = time.perf_counter()
            await bot.start(emulator, timeout=120)
            ready = time.perf_counter() - started
            await asyncio.sleep(3)
            assert bot.process is not None
            peak = vm_hwm_mb(bot.process.pid)
            await bot.stop()
            match = PLANNED.search(bot.log())
            assert match, bot.log()[-2000:]
    return Rebuild(registered, int(match[2]), int(match[1]), float(match[3]), ready, peak)


async def fan_out(recipients: int, rate: float) -> FanOut:
    lead = 60.0
    # Sending takes recipients/rate seconds; leave that, the lead and set-up time.
    start = datetime.now(UTC) + timedelta(seconds=lead + recipients / rate / 0.85 + 45)
    local = start.astimezone(VENUE)
    end = local + timedelta(hours=1)
    files = {
        "sessions.csv": to_csv(
            [
                ["id", "title", "start", "end", "room", "kind"],
                [
                    "plenary",
                    "Ministerial plenary",
                    local.strftime("%Y-%m-%dT%H:%M:%S"),
                    end.strftime("%Y-%m-%dT%H:%M:%S"),
                    "Plenary Hall",
                    "plenary",
                ],
            ]
        ),
        "delegates.csv": to_csv(
            [["id", "name", "delegation"]]
            + [[f"d{i:05d}", f"Delegate {i}", f"Delegation {i % 40}"] for i in range(recipients)]
        ),
    }
    limits = RateLimits.lenient(rate)
    with tempfile.TemporaryDirectory(prefix="summitbot-bench-") as folder:
        directory = Path(folder)
        async with TelegramEmulator(token=TOKEN, rate_limits=limits) as emulator:
            extra = (
                f'[reminders]\nlead_minutes = 1\ndigest_time = ""\n'
                f"[delivery]\nmessages_per_second = {rate}\n"
            )
            config = write_config(directory, emulator.api_base_url, extra=extra)
            config.write_text(config.read_text().replace('level = "DEBUG"', 'level = "INFO"'))
            paths = []
            for name, data in files.items():
                (directory / name).write_bytes(data)
                paths.append(str(directory / name))
            imported = await summitbot("import", "--config", str(config), *paths)
            assert imported.code == 0, imported.stderr
            register_everyone(directory / "summit.db")
            for i in range(recipients):
                await emulator.user(FIRST_USER + i).send("/start")
            emulator.drop_pending_updates()
            bot = BotProcess(config, directory / "bot.log")
            await bot.start(emulator)
            await asyncio.sleep((start + timedelta(seconds=5) - datetime.now(UTC)).total_seconds())
            await bot.stop()
            arrivals = [
                r.time
                for r in emulator.requests
                if r.method.lower() == "sendmessage"
                and r.status == 200
                and "Ministerial plenary" in r.params.get("text", "")
            ]
            throttled = sum(1 for r in emulator.requests if r.status == 429)
    start_ts = start.timestamp()
    return FanOut(
        recipients,
        len(arrivals),
        start_ts - min(arrivals) if arrivals else 0.0,
        start_ts - max(arrivals) if arrivals else 0.0,
        lead,
        throttled,
    )


def markdown(part1: Rebuild, part2: FanOut, command: str) -> str:
    met_rebuild = "yes" if part1.plan_seconds < 3 else "**no**"
    met_memory = "yes" if part1.peak_mb < 300 else "**no**"
    on_time = part2.last_before_start >= part2.lead_seconds
    return "\n".join(
        [
            "## Reminders",
            "",
            f"Machine: {_machine()}. Command: `{command}` (also run by `make bench`).",
            "",
            "Rebuilding every reminder job at start-up, with every delegate registered "
            "(jobs are per distinct send time, not per delegate):",
            "",
            "| measure | value | target | met |",
            "|---|---|---|---|",
            f"| delegates registered | {part1.delegates:,} | | |",
            f"| reminders planned | {part1.reminders:,} | | |",
            f"| reminder jobs (distinct send times) | {part1.runs:,} | | |",
            f"| planning all jobs | {part1.plan_seconds:.2f} s | < 3 s | {met_rebuild} |",
            f"| `summitbot run` start to ready | {part1.ready_seconds:.2f} s | < 3 s | |",
            f"| bot peak memory (VmHWM) | {part1.peak_mb:.0f} MB | < 300 MB | {met_memory} |",
            "",
            f"A plenary of {part2.recipients:,} registered delegates, one-minute lead, "
            "delivered at 30 messages a second with the emulator enforcing Telegram's limits:",
            "",
            "| measure | value | target | met |",
            "|---|---|---|---|",
            f"| reminders delivered | {part2.delivered:,} of {part2.recipients:,} | all | "
            f"{'yes' if part2.delivered == part2.recipients else '**no**'} |",
            f"| first arrived before the start | {part2.first_before_start:.1f} s | | |",
            f"| last arrived before the start | {part2.last_before_start:.1f} s "
            f"| ≥ {part2.lead_seconds:.0f} s | {'yes' if on_time else '**no**'} |",
            f"| 429 answers | {part2.throttled} | | |",
            "",
        ]
    )


async def main_async(delegates: int, recipients: int, write: bool) -> None:
    part1 = await rebuild(delegates)
    print(part1, flush=True)
    part2 = await fan_out(recipients, 30.0)
    print(part2, flush=True)
    command = ".venv/bin/python -m bench.reminders"
    text = markdown(part1, part2, command)
    publish(RESULTS, text, write=write)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delegates", type=int, default=20_000)
    parser.add_argument("--recipients", type=int, default=3_000)
    parser.add_argument("--no-write", action="store_true")
    options = parser.parse_args()
    asyncio.run(main_async(options.delegates, options.recipients, not options.no_write))


if __name__ == "__main__":
    main()
