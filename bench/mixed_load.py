"""Replies during a broadcast, under Telegram's flood control: the governor against PTB's
stock `AIORateLimiter`, in the same run.

    .venv/bin/python -m bench.mixed_load              # about 4 minutes
    .venv/bin/python -m bench.mixed_load --quick      # a smoke run, about a minute

A 3,000-delegate summit (bench/make_summit.py), every delegate registered. The bot is
configured for 30 messages a second and the emulator runs its strict defaults (30 a
second with a burst of 10, about one a second per chat with a burst of 4, a 429 closing
its scope for `retry_after` seconds). When the bot starts, a broadcast to all 3,000 is
waiting in the outbox; at the same time 300 delegates (every tenth) use the bot in a
closed loop: `/agenda DAY` (30%), `/next` (30%) or a press of a day button on their agenda
message (40%, answered and edited in place), each waiting for the answer and then
thinking `--think` seconds (uniform) before the next — starts are spread over the first
think time. Measured over `--seconds`:

- reply latency (p50/p95/p99) as the delegate sees it: from sending the update to seeing
  the answer (the message, or for a press the edit); a broadcast message in between is
  not the answer;
- replies lost: updates not answered within 30 s (the delegate then goes on);
- 429s, and calls made inside a window a 429 had closed (the emulator's violations);
- broadcast throughput as a fraction of the budget the replies left: broadcast messages
  delivered a second ÷ (30 − the reply calls Telegram counted a second: answers, edits,
  button answers).

The same run then repeats with `bench/mixed_load_bot.py stock`: the same bot with
`AIORateLimiter(overall_max_rate=30, max_retries=3)` in place of the governor (the outbox
worker's priority hints dropped, as that limiter has none).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.bot_under_test import any_button, write_bot_config
from bench.common import RESULTS, child_environment, machine, markdown_table, write_fragment
from bench.make_summit import make_summit
from bench.reminders import FIRST_USER, register_everyone
from bot.reply import Reply
from bot.sandbox.driver import BotMessage, SimulatedUser
from bot.sandbox.emulator import RateLimits, TelegramEmulator
from bot.storage.database import Database
from bot.storage.outbox import Kind, Outgoing, enqueue
from tests.support.bot_process import summitbot

TOKEN = "123456:BENCH-mixed-token"
VENUE = ZoneInfo("Asia/Riyadh")
RATE = 30.0
MARKER = "Buses leave at 18:00"
ANSWER_TIMEOUT = 30.0
MAX_PARTS = 5
COUNTED = {"sendMessage", "editMessageText", "answerCallbackQuery", "sendDocument"}
TARGET_P99 = 2.0
TARGET_SHARE = 0.9
CONTENDERS = ("governor", "stock")


@dataclass(frozen=True)
class Options:
    delegates: int = 3000
    users: int = 300
    seconds: float = 75.0
    think: tuple[float, float] = (20.0, 60.0)


QUICK = Options(delegates=600, users=60, seconds=25.0, think=(5.0, 15.0))


@dataclass
class Result:
    contender: str
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    throttled: int = 0
    violations: int = 0
    broadcast_rate: float = 0.0
    reply_call_rate: float = 0.0
    duplicates: int = 0

    @property
    def share(self) -> float:
        left = RATE - self.reply_call_rate
        return self.broadcast_rate / left if left > 0 else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def write_config(directory: Path, api_base_url: str) -> Path:
    return write_bot_config(
        directory / "config.toml",
        TOKEN,
        api_base_url,
        timezone=VENUE.key,
        digest_time="",
        messages_per_second=RATE,
    )


async def prepare(work: Path, options: Options) -> list[date]:
    """Import the summit with the real CLI and register everyone (in SQLite)."""
    first_day = datetime.now(VENUE).date() + timedelta(days=1)
    size = make_summit(work / "data", options.delegates, 1, first_day)
    config = write_config(work, "http://127.0.0.1:9/bot")
    files = [str(path) for path in size.files]
    imported = await summitbot("import", "--config", str(config), *files, timeout=600)
    if imported.code != 0:
        raise SystemExit(f"summitbot import failed:\n{imported.stderr[-3000:]}")
    register_everyone(work / "summit.db")
    return [first_day + timedelta(days=i) for i in range(3)]


async def queue_broadcast(database_path: Path, delegates: int) -> None:
    database = await Database.open(database_path)
    text = f"📢 <b>Announcement from the organizers</b>\n\n{MARKER} from Gate 2."
    rows = await database.fetchall("SELECT user_id, delegate_id FROM telegram_user")
    async with database.transaction() as tx:
        await enqueue(
            tx,
            [
                Outgoing(chat_id=r[0], kind=Kind.BROADCAST, reply=Reply(text), delegate_id=r[1])
                for r in rows[:delegates]
            ],
            time.time(),
        )
    await database.close()


@dataclass
class Delegate:
    sim: SimulatedUser
    agenda: BotMessage | None = None


async def answer(user: SimulatedUser, kind: str) -> BotMessage:
    """The bot's answer, passing over broadcast messages and earlier parts of a long day."""
    deadline = time.monotonic() + ANSWER_TIMEOUT
    parts = 0
    while True:
        message = await user.reply(timeout=max(0.0, deadline - time.monotonic()))
        if MARKER in message.text:
            continue
        parts += 1
        if kind != "agenda" or message.buttons or parts >= MAX_PARTS:
            return message


async def act(delegate: Delegate, days: Sequence[date], rng: random.Random) -> float | None:
    """One update; how long its answer took to arrive, or None if it never did."""
    user = delegate.sim
    roll = rng.random()
    kind = "agenda" if delegate.agenda is None or roll < 0.3 else "next" if roll < 0.6 else "press"
    started = time.monotonic()
    try:
        if kind == "press":
            assert delegate.agenda is not None
            message = delegate.agenda
            data = any_button(message, rng)
            await user.press(message, callback_data=data, timeout=ANSWER_TIMEOUT)
            delegate.agenda = await user.wait_edit(message, timeout=ANSWER_TIMEOUT)
        else:
            text = f"/agenda {rng.choice(days).isoformat()}" if kind == "agenda" else "/next"
            await user.send(text)
            reply = await answer(user, kind)
            if kind == "agenda":
                delegate.agenda = reply if reply.buttons else delegate.agenda
    except (TimeoutError, LookupError, ValueError):
        return None
    return time.monotonic() - started


async def closed_loop(
    delegate: Delegate,
    days: Sequence[date],
    options: Options,
    until: float,
    result: Result,
    rng: random.Random,
) -> None:
    await asyncio.sleep(rng.uniform(0, options.think[1]))
    while time.monotonic() < until:
        took = await act(delegate, days, rng)
        if took is None:
            result.lost += 1
        else:
            result.latencies.append(took)
        await asyncio.sleep(rng.uniform(*options.think))


async def started(
    emulator: TelegramEmulator, method: str, process: asyncio.subprocess.Process, within: float
) -> None:
    deadline = time.monotonic() + within
    while not any(r.method == method for r in emulator.requests):
        if process.returncode is not None or time.monotonic() > deadline:
            raise SystemExit(f"the bot did not start (exit {process.returncode})")
        await asyncio.sleep(0.1)


async def measure(
    contender: str, work: Path, days: Sequence[date], options: Options, log: Path
) -> Result:
    directory = work / contender
    directory.mkdir()
    shutil.copy(work / "summit.db", directory / "summit.db")
    await queue_broadcast(directory / "summit.db", options.delegates)
    result = Result(contender)
    rng = random.Random(7)
    async with TelegramEmulator(token=TOKEN, rate_limits=RateLimits()) as emulator:
        people = [emulator.user(FIRST_USER + i) for i in range(options.delegates)]
        for person in people:
            await person.send("/start")  # a chat the bot may write to
        emulator.drop_pending_updates()
        config = write_config(directory, emulator.api_base_url)
        with log.open("ab") as output:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.mixed_load_bot",
                str(config),
                contender,
                stdout=output,
                stderr=output,
                env=child_environment(),
            )
        try:
            await started(emulator, "deleteWebhook", process, 120)
            start = time.monotonic()
            started_wall = time.time()
            until = start + options.seconds
            step = max(1, options.delegates // options.users)
            delegates = [Delegate(people[i * step]) for i in range(options.users)]
            loops = [
                asyncio.create_task(
                    closed_loop(d, days, options, until, result, random.Random(rng.random()))
                )
                for d in delegates
            ]
            await asyncio.sleep(options.seconds)
            ended_wall = time.time()
            await asyncio.wait(loops, timeout=ANSWER_TIMEOUT + 5)
            for loop in loops:
                loop.cancel()
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 60)
        window = [r for r in emulator.requests if started_wall <= r.time <= ended_wall]
        ok = [r for r in window if r.status == 200 and r.method in COUNTED]
        broadcast = [r for r in ok if MARKER in r.params.get("text", "")]
        span = ended_wall - started_wall
        result.broadcast_rate = len(broadcast) / span
        result.reply_call_rate = (len(ok) - len(broadcast)) / span
        result.throttled = emulator.stats.get("429", 0)
        result.violations = len(emulator.violations)
        sent = [
            r.params.get("chat_id")
            for r in emulator.requests
            if r.status == 200 and MARKER in r.params.get("text", "")
        ]
        result.duplicates = len(sent) - len(set(sent))
    return result


def row(result: Result) -> list[str]:
    return [
        "the governor" if result.contender == "governor" else "PTB `AIORateLimiter`",
        f"{len(result.latencies):,}",
        f"{result.percentile(0.5):.2f} s",
        f"{result.percentile(0.95):.2f} s",
        f"{result.percentile(0.99):.2f} s",
        f"{result.lost}",
        f"{result.throttled}",
        f"{result.violations}",
        f"{result.broadcast_rate:.1f}/s",
        f"{result.reply_call_rate:.1f}/s",
        f"{result.share:.2f}",
        f"{result.duplicates}",
    ]


def report(options: Options, results: Sequence[Result], command: str, seconds: float) -> str:
    ours = results[0]
    verdict = (
        "met"
        if ours.percentile(0.99) < TARGET_P99
        and ours.lost == 0
        and ours.violations == 0
        and ours.share >= TARGET_SHARE
        else "NOT met"
    )
    table = markdown_table(
        [
            "limiter",
            "answers",
            "p50",
            "p95",
            "p99",
            "lost",
            "429s",
            "calls in a 429 window",
            "broadcast",
            "reply calls",
            "broadcast ÷ budget left",
            "duplicates",
        ],
        [row(r) for r in results],
    )
    return f"""## Replies during a broadcast, under flood control

`{command}` — {machine()}; {seconds:.0f} s in all.

{options.delegates:,} delegates registered; a broadcast to all of them waits in the outbox
when the bot starts, while {options.users} of them use the bot in a closed loop
(`/agenda DAY` 30%, `/next` 30%, a day-button press 40%; {options.think[0]:.0f}–\
{options.think[1]:.0f} s between an answer and the next update), measured over
{options.seconds:.0f} s. The bot is configured for {RATE:.0f} messages a second; the
emulator runs its strict defaults (30/s with a burst of 10, about 1/s per chat with a burst
of 4, a 429 closing its scope for `retry_after` seconds). Latency is from sending the update
to seeing its answer; "lost" means no answer within {ANSWER_TIMEOUT:.0f} s; "broadcast ÷
budget left" is the broadcast's delivery rate divided by {RATE:.0f}/s minus the reply calls
Telegram counted (answers, edits, button answers). PTB's `AIORateLimiter` runs the same bot
(`overall_max_rate={RATE:.0f}`, `max_retries=3`) in the same run, right after.

{table}

Targets for the governor: reply p99 < {TARGET_P99:.0f} s, no reply lost, no call inside a
429 window, broadcast ≥ {TARGET_SHARE} of the budget left — **{verdict}**. The machine is
shared with other work (2 cores), so latencies carry its noise.
"""


def parse(argv: Sequence[str] | None) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--seconds", type=float, help="measurement window per limiter")
    parser.add_argument("--out", type=Path, help="results page (default: bench/results/...)")
    args = parser.parse_args(argv)
    options = QUICK if args.quick else Options()
    if args.seconds:
        options = Options(options.delegates, options.users, args.seconds, options.think)
    out = args.out or (None if args.quick else RESULTS / "mixed_load.md")
    return options, out


async def run(options: Options, work: Path) -> list[Result]:
    days = await prepare(work, options)
    results = []
    for contender in CONTENDERS:
        print(f"{contender}: measuring {options.seconds:.0f} s ...", flush=True)
        results.append(await measure(contender, work, days, options, work / f"{contender}.log"))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    options, out = parse(argv)
    command = "python -m bench.mixed_load" + (" " + " ".join(argv or sys.argv[1:])).rstrip()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="summitbot-mixed-") as folder:
        results = asyncio.run(run(options, Path(folder)))
    text = report(options, results, command.strip(), time.monotonic() - started)
    print(text)
    if out is not None:
        write_fragment(out, text)
    for result in results:
        if result.latencies:
            print(f"{result.contender}: mean {statistics.fmean(result.latencies):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
