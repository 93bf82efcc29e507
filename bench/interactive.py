"""Interactive load: thousands of delegates asking at once, against a bare PTB baseline.

    .venv/bin/python -m bench.interactive                 # full scale, about 8 minutes
    .venv/bin/python -m bench.interactive --quick         # a small run, about 1 minute

The real bot (`python -m bot run --config ...`) serves the 20,000-delegate summit of
bench/make_summit.py, every delegate registered, against the Telegram emulator running in
this process. The summit starts tomorrow (venue time), so `/next` has sessions ahead and
no reminder or digest falls inside the run. 2,000 of the registered delegates (every
tenth, so all languages and delegation sizes appear) do what delegates do on the morning
of a summit day:

- `/agenda YYYY-MM-DD` for one of the five summit days (30% of updates; a user's first
  update is always this, so that they have an agenda message with day buttons);
- `/next` (30%);
- press ◀ or ▶ on their agenda message, which the bot answers and edits in place (40%).

Two loads:

- closed loop: every user sends, waits for the answer (the reply, or for a press the
  edit), and sends again at once. After a warm-up in which everyone gets their first
  agenda, answers are counted over `--seconds`: the most updates a second the bot
  sustains with 2,000 users waiting on it (latency is then users ÷ throughput, Little's law);
- open loop: Poisson arrivals at fixed offered rates (100, 200, 400 updates a second),
  each to a random user not already waiting for an answer, for `--seconds` each.

Latency is from the moment an update is queued in the emulator to the arrival at the
emulator of the bot's answering sendMessage or editMessageText (`RequestRecord.time`;
answerCallbackQuery is not the answer, the edit is). CPU seconds (utime + stime from
/proc/<pid>/stat, all threads) and peak RSS (VmHWM, reset through /proc/<pid>/clear_refs
before each phase) are the bot process's own.

The same loads are run against bench/echo_bot.py, python-telegram-bot with one handler
that echoes the text and one that answers a press and edits: the same requests with none
of the bot's work. Its figures are the floor the library and the emulator set, and the
bot's are reported as ratios to it. Both processes are up together, each with its own
emulator and users, and take turns phase by phase (bot, echo bot, bot, ...): this
virtual machine's speed drifts by a quarter from one run to the next, and a drift then
slows both alike instead of only whichever ran second.

On a machine with two or more cores the bot (or echo bot) runs pinned to core 1, and this
process (emulator and load generator) to core 0: neither steals time from the other, and
the bench process's own CPU use is reported so that a saturated load generator shows.

`--mode webhook` (or `both`, the default) runs the same loads with updates delivered by
the emulator to the bot's webhook (`[telegram] mode = "webhook"`). The harness checks
that the emulator really delivers (one probe update must be answered) and leaves the
webhook rows out, saying so, when it does not.

`--profile FILE` records the bot with py-spy (`.venv/bin/pip install py-spy`) during the
closed-loop window (raw collapsed stacks); the sampling costs the bot time, so such a run
writes no results page unless `--out` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import gc
import os
import random
import resource
import shlex
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.bot_under_test import any_button, write_bot_config
from bench.common import REPO, RESULTS, child_environment, machine, markdown_table, write_fragment
from bench.make_summit import DAYS, make_summit
from bench.reminders import FIRST_USER, register_everyone
from bot.sandbox.driver import BotMessage, SimulatedUser
from bot.sandbox.emulator import RateLimits, TelegramEmulator
from tests.support.bot_process import summitbot, summitbot_command

TOKEN = "123456:BENCH-interactive-token"
# This benchmark measures the bot's own work, not Telegram's flood control (see
# bench/mixed_load.py for that): the emulator limits nothing, and the bot's budget is far
# above what it answers, so its governor never holds a reply back.
NO_LIMITS = RateLimits(global_per_second=None, per_chat_per_second=None)
BUDGET = 5000
VENUE = ZoneInfo("Asia/Riyadh")
LOADS = (100.0, 200.0, 400.0)
QUICK_LOADS = (50.0, 100.0)
TARGET_THROUGHPUT_RATIO = 0.8
TARGET_RATE = 200.0
TARGET_P99_MS = 100.0

AGENDA_SHARE = 0.3
NEXT_SHARE = 0.3
"""The rest of a user's updates (40%) are presses of a day button on their agenda."""
MAX_PARTS = 5
"""A day agenda longer than one message comes in parts, buttons on the last; no day of
the benchmark's summit needs more than this."""

ANSWER_TIMEOUT = 60.0
"""One update's answer: generous, since in the closed loop latency is users ÷ throughput."""
FIRST_AGENDA_TIMEOUT = 120.0
"""Warm-up: every user's first /agenda answered (2,000 answers at even 20 a second)."""
DRAIN_TIMEOUT = 60.0
READY_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
PROBE_TIMEOUT = 10.0
IMPORT_TIMEOUT = 600.0
SECOND_CORE_NEEDED = 2
QUIET_SHARE = 0.1
"""Other processes may use this much of a core before a phase starts..."""
QUIET_SAMPLE = 2.0
QUIET_WAIT = 180.0
"""...waited for at most this long by default (then the phase runs, and "others" shows
the noise); `--quiet-wait 0` never waits."""

BOT_CORE = 1
BENCH_CORE = 0
PIN = (
    "import os, sys; os.sched_setaffinity(0, {int(sys.argv[1])}); "
    "os.execv(sys.argv[2], sys.argv[2:])"
)
"""Run in the child before anything else: every thread the bot later starts inherits the
core (sched_setaffinity on a running process would pin only its main thread)."""

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


class BenchFailure(Exception):
    """The run cannot produce meaningful figures (the bot died, users got no answer, ...)."""


class WebhookUnsupported(Exception):
    """The emulator does not (yet) deliver updates to a webhook."""


# ------------------------------------------------------------------ the processes


@dataclass(frozen=True)
class Target:
    """A bot to measure: how to start it, and the update text answered by an agenda."""

    name: str
    argv: Callable[[str, int], list[str]]
    """(mode, webhook port) -> the child's command line."""


def free_port() -> int:
    """A loopback port nobody listens on now, for the bot's webhook server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/telegram"


def write_config(directory: Path, api_base_url: str, mode: str, port: int) -> Path:
    """The bot's config for one mode: INFO logging, no daily digest, the given database."""
    webhook = (
        f'mode = "webhook"\nwebhook_url = "{webhook_url(port)}"\n'
        f'listen = "127.0.0.1"\nport = {port}\n'
        if mode == "webhook"
        else ""
    )
    return write_bot_config(
        directory / f"config-{mode}.toml",
        TOKEN,
        api_base_url,
        timezone=VENUE.key,
        telegram=webhook,
        digest_time="",
        messages_per_second=BUDGET,
    )


def summit_bot(directory: Path, api_base_url: str) -> Target:
    def argv(mode: str, port: int) -> list[str]:
        config = write_config(directory, api_base_url, mode, port)
        # The summitbot the tests run: the installed wheel's under `make e2e`.
        return [*summitbot_command(), "run", "--config", str(config)]

    return Target("Summit Bot", argv)


def bot_concurrency() -> int:
    """How many updates the bot handles at once (1 = python-telegram-bot's default)."""
    from bot.telegram import application

    return int(getattr(application, "CONCURRENT_UPDATES", 1))


def echo_bot(api_base_url: str) -> Target:
    def argv(mode: str, port: int) -> list[str]:
        args = [
            sys.executable,
            "-m",
            "bench.echo_bot",
            "--token",
            TOKEN,
            "--base-url",
            api_base_url,
        ]
        args += ["--concurrent-updates", str(bot_concurrency())]
        if mode == "webhook":
            args += ["--mode", "webhook", "--webhook-url", webhook_url(port), "--port", str(port)]
        return args

    return Target("echo bot (baseline)", argv)


def pinning_possible() -> bool:
    return hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= SECOND_CORE_NEEDED


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of `pid` so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def reset_peak(pid: int) -> None:
    """Start VmHWM again from the current RSS, so each phase reports its own peak."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


class Running:
    """A bot process under test: spawned pinned, ready once it called the API's last
    start-up method, stopped with SIGTERM (SIGKILL if it hangs)."""

    def __init__(self, target: Target, mode: str, log: Path) -> None:
        self.target = target
        self.mode = mode
        self.log = log
        self.port = free_port() if mode == "webhook" else 0
        self.process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self, emulator: TelegramEmulator, pin: bool) -> None:
        argv = self.target.argv(self.mode, self.port)
        if pin:
            argv = [sys.executable, "-c", PIN, str(BOT_CORE), *argv]
        seen = len(emulator.requests)
        with self.log.open("ab") as stream:
            self.process = await asyncio.create_subprocess_exec(
                *argv,
                stdout=stream,
                stderr=stream,
                env=child_environment({"PYTHONUNBUFFERED": "1"}),
                cwd=REPO,
            )
        # run_polling removes any webhook last; run_webhook sets it last.
        ready = "setWebhook" if self.mode == "webhook" else "deleteWebhook"
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if any(r.method == ready for r in emulator.requests[seen:]):
                return
            if self.process.returncode is not None:
                raise BenchFailure(f"{self.target.name} exited at start:\n{self.tail()}")
            await asyncio.sleep(0.05)
        raise BenchFailure(f"{self.target.name} not ready in {READY_TIMEOUT:.0f} s:\n{self.tail()}")

    async def stop(self) -> None:
        process = self.process
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()

    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


# ------------------------------------------------------------------ simulated delegates


@dataclass
class Delegate:
    """One simulated delegate, with the agenda message whose buttons they press."""

    sim: SimulatedUser
    agenda: BotMessage | None = None
    lost: bool = False
    """Got no answer once: left out of later phases of this bot (their chat may be out
    of step), and counted as an error."""


@dataclass
class Action:
    """One update and its answer."""

    kind: str
    chat_id: int
    queued: float
    """time.time() right before the update was put in the emulator's queue."""
    seen: float = 0.0
    """When this process noticed the answer (the fallback if no request matches)."""
    answered: float = 0.0
    """Arrival at the emulator of the answering sendMessage / editMessageText."""
    ok: bool = False


async def drain(user: SimulatedUser) -> None:
    """Skip the bot messages this user has not read, so the next reply is a fresh one."""
    for _ in range(10_000):
        try:
            await user.reply(timeout=0)
        except TimeoutError:
            return


def choose(delegate: Delegate, rng: random.Random) -> str:
    if delegate.agenda is None or not delegate.agenda.buttons:
        return "agenda"
    roll = rng.random()
    if roll < AGENDA_SHARE:
        return "agenda"
    return "next" if roll < AGENDA_SHARE + NEXT_SHARE else "press"


async def act(delegate: Delegate, days: Sequence[date], rng: random.Random) -> Action:
    """Send one update as this delegate and wait for the bot's answer."""
    user = delegate.sim
    kind = choose(delegate, rng)
    action = Action(kind, user.chat_id, 0.0)
    try:
        if kind == "press":
            assert delegate.agenda is not None
            message = delegate.agenda
            data = any_button(message, rng)
            action.queued = time.time()
            await user.press(message, callback_data=data, timeout=ANSWER_TIMEOUT)
            delegate.agenda = await user.wait_edit(message, timeout=ANSWER_TIMEOUT)
        else:
            text = f"/agenda {rng.choice(days).isoformat()}" if kind == "agenda" else "/next"
            action.queued = time.time()
            await user.send(text)
            reply = await user.reply(timeout=ANSWER_TIMEOUT)
            for _ in range(MAX_PARTS):
                if kind != "agenda" or reply.buttons:
                    break
                reply = await user.reply(timeout=ANSWER_TIMEOUT)
            if kind == "agenda":
                delegate.agenda = reply
        action.ok = True
    except (TimeoutError, LookupError, ValueError):
        delegate.lost = True
        await drain(user)
    action.seen = time.time()
    return action


def match_answers(emulator: TelegramEmulator, actions: Sequence[Action]) -> None:
    """Give each action the arrival time of the first answer in its chat after it was
    queued. Exact because a user never has two updates outstanding and waits for the
    whole answer; an answer the emulator did not record as a request (a webhook reply)
    falls back to when this process saw it."""
    arrivals: dict[int, list[float]] = {}
    for record in emulator.requests:
        if record.status == 200 and record.method in ("sendMessage", "editMessageText"):
            with contextlib.suppress(ValueError):
                arrivals.setdefault(int(record.params.get("chat_id", "")), []).append(record.time)
    for times in arrivals.values():
        times.sort()
    for action in actions:
        if not action.ok:
            continue
        times = arrivals.get(action.chat_id, [])
        index = bisect.bisect_left(times, action.queued)
        found = times[index] if index < len(times) else 0.0
        action.answered = found if 0.0 < found <= action.seen else action.seen


# ------------------------------------------------------------------ phases


@dataclass
class Phase:
    """One load on one bot: what was offered, answered, and what it cost."""

    target: str
    mode: str
    loop: str
    offered: float
    """Updates a second offered (open loop); 0 for the closed loop."""
    window: float
    sent: int
    """Updates queued inside the window."""
    answered: int
    """Answers that arrived inside the window."""
    throughput: float
    latencies: list[float]
    """Milliseconds, of updates queued inside the window and answered."""
    errors: int
    skipped: int
    """Open loop: arrivals that found every user already waiting for an answer."""
    cpu: float
    peak: int
    bench_cpu: float
    """This process's CPU seconds in the window (emulator + load generator)."""
    others_cpu: float
    """CPU seconds of every other process in the window: should be near 0."""
    by_kind: dict[str, float] = field(default_factory=dict)
    """Median latency (ms) per kind of update."""

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def cpu_ms_per_update(self) -> float:
        return self.cpu / self.answered * 1000 if self.answered else float("nan")


async def quiet(pid: int, wait: float, progress: Callable[[str], None]) -> None:
    """Wait (a bounded while) until no other process keeps a core busy: a test suite
    running beside the benchmark halves what the bot gets and makes the figures noise.
    If the machine never quietens, the phase runs anyway and its "others" column says so."""
    deadline = time.monotonic() + wait
    told = False
    while time.monotonic() < deadline:
        meter = Meter(pid)
        meter.open()
        await asyncio.sleep(QUIET_SAMPLE)
        meter.close()
        share = meter.others / QUIET_SAMPLE
        if share < QUIET_SHARE:
            return
        if not told:
            progress(f"  other processes use {share:.0%} of a core; waiting for quiet")
            told = True


def settle() -> None:
    """Collect, then freeze every object this process holds (the emulator's chats and
    messages, the users): a full collection walking them all would pause the emulator
    and the load generator for a tenth of a second, a stall charged to the bot."""
    gc.collect()
    gc.freeze()


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy() -> float:
    """CPU seconds all processes have used so far (/proc/stat: user, nice, system, and
    steal, time the hypervisor gave to other machines). Interrupt time is left out: the
    loopback traffic of the benchmark itself is handled there."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system = fields[0:3]
    steal = fields[7] if len(fields) > 7 else 0
    return (user + nice + system + steal) / CLOCK_TICKS


class Meter:
    """CPU and peak memory of the bot, this process's CPU and everybody else's, over one
    window: a test suite running beside the benchmark shows up as "others"."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.start = (0.0, 0.0, 0.0)
        self.cpu = 0.0
        self.own = 0.0
        self.others = 0.0

    def open(self) -> None:
        self.start = (cpu_seconds(self.pid), own_cpu(), machine_busy())

    def close(self) -> None:
        bot, own, busy = self.start
        self.cpu = cpu_seconds(self.pid) - bot
        self.own = own_cpu() - own
        self.others = max(0.0, machine_busy() - busy - self.cpu - self.own)

    @property
    def peak(self) -> int:
        return vm_hwm(self.pid)


def summarize(
    running: Running,
    loop: str,
    offered: float,
    window: tuple[float, float],
    actions: Sequence[Action],
    meter: Meter,
    skipped: int = 0,
) -> Phase:
    start, end = window
    answered = [a for a in actions if a.ok and start <= a.answered <= end]
    inside = [a for a in actions if start <= a.queued <= end]
    latencies = [(a.answered - a.queued) * 1000 for a in inside if a.ok]
    by_kind: dict[str, float] = {}
    for kind in ("agenda", "next", "press"):
        values = [(a.answered - a.queued) * 1000 for a in inside if a.ok and a.kind == kind]
        if values:
            by_kind[kind] = statistics.median(values)
    return Phase(
        target=running.target.name,
        mode=running.mode,
        loop=loop,
        offered=offered,
        window=end - start,
        sent=len(inside),
        answered=len(answered),
        throughput=len(answered) / (end - start),
        latencies=latencies,
        errors=sum(1 for a in actions if not a.ok),
        skipped=skipped,
        cpu=meter.cpu,
        peak=meter.peak,
        bench_cpu=meter.own,
        others_cpu=meter.others,
        by_kind=by_kind,
    )


@dataclass
class Load:
    """What every phase needs: the emulator, the users and the summit's days."""

    emulator: TelegramEmulator
    delegates: list[Delegate]
    days: list[date]
    seconds: float
    warmup: float
    rng: random.Random
    progress: Callable[[str], None]
    quiet_wait: float = QUIET_WAIT

    def active(self) -> list[Delegate]:
        return [d for d in self.delegates if not d.lost]


async def closed_loop(
    load: Load, running: Running, profile: Path | None
) -> tuple[Phase, asyncio.subprocess.Process | None]:
    """Every user in a send-and-wait loop; answers counted over the window after warm-up."""
    emulator = load.emulator
    emulator.requests.clear()
    actions: list[Action] = []
    stop = asyncio.Event()
    first = asyncio.Event()
    waiting = len(load.active())

    async def user_loop(delegate: Delegate) -> None:
        nonlocal waiting
        counted = False
        while not stop.is_set() and not delegate.lost:  # ends when the window closes
            action = await act(delegate, load.days, load.rng)
            actions.append(action)
            if not counted:
                counted = True
                waiting -= 1
                if waiting == 0:
                    first.set()

    reset_peak(running.pid)
    meter = Meter(running.pid)
    tasks = [asyncio.create_task(user_loop(d)) for d in load.active()]
    spy = None
    try:
        try:
            await asyncio.wait_for(first.wait(), FIRST_AGENDA_TIMEOUT)
        except TimeoutError:
            raise BenchFailure(
                f"{running.target.name}: {waiting} users had no first answer within "
                f"{FIRST_AGENDA_TIMEOUT:.0f} s:\n{running.tail()}"
            ) from None
        await asyncio.sleep(load.warmup)
        await quiet(running.pid, load.quiet_wait, load.progress)
        settle()
        if profile is not None:
            spy = await start_profiler(running.pid, profile, load.seconds)
        meter.open()
        start = time.time()
        await asyncio.sleep(load.seconds)
        end = time.time()
        meter.close()
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), ANSWER_TIMEOUT + DRAIN_TIMEOUT)
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    match_answers(emulator, actions)
    emulator.requests.clear()
    return summarize(running, "closed", 0.0, (start, end), actions, meter), spy


async def open_loop(load: Load, running: Running, rate: float) -> Phase:
    """Poisson arrivals at `rate` a second, each to a random user not already waiting."""
    emulator = load.emulator
    await quiet(running.pid, load.quiet_wait, load.progress)
    emulator.requests.clear()
    settle()
    loop = asyncio.get_running_loop()
    idle = load.active()
    actions: list[Action] = []
    tasks: set[asyncio.Task[None]] = set()
    skipped = 0

    async def one(delegate: Delegate) -> None:
        actions.append(await act(delegate, load.days, load.rng))
        if not delegate.lost:
            idle.append(delegate)

    reset_peak(running.pid)
    meter = Meter(running.pid)
    meter.open()
    start, begin = time.time(), loop.time()
    due = begin
    end_at = begin + load.seconds
    for _ in range(int(rate * load.seconds * 3) + 100):  # bounded: the window ends first
        due += load.rng.expovariate(rate)
        if due >= end_at:
            break
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if not idle:
            skipped += 1
            continue
        index = load.rng.randrange(len(idle))
        idle[index], idle[-1] = idle[-1], idle[index]
        task = asyncio.create_task(one(idle.pop()))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.sleep(max(0.0, end_at - loop.time()))
    end = time.time()
    meter.close()
    if tasks:
        _, pending = await asyncio.wait(set(tasks), timeout=ANSWER_TIMEOUT + DRAIN_TIMEOUT)
        for task in pending:
            task.cancel()
    match_answers(emulator, actions)
    emulator.requests.clear()
    return summarize(running, "open", rate, (start, end), actions, meter, skipped)


def py_spy() -> str:
    """The py-spy next to this interpreter (the virtualenv's) or on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise BenchFailure("--profile needs py-spy: .venv/bin/pip install py-spy")
    return found


async def start_profiler(pid: int, out: Path, seconds: float) -> asyncio.subprocess.Process:
    """py-spy on the bot for the closed-loop window, as collapsed stacks. Sampling pauses
    the bot a moment each time (without that the stacks come out torn), which is why a
    profiled run's figures are not the benchmark's."""
    spy = py_spy()
    return await asyncio.create_subprocess_exec(
        spy,
        "record",
        "--format",
        "raw",
        "--rate",
        "100",
        "--duration",
        str(max(1, round(seconds))),
        "--output",
        str(out),
        "--pid",
        str(pid),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def probe(load: Load, running: Running) -> None:
    """One /next must be answered: a webhook the emulator never calls answers nothing."""
    user = load.active()[0].sim
    await user.send("/next")
    try:
        await user.reply(timeout=PROBE_TIMEOUT)
    except TimeoutError:
        raise WebhookUnsupported(
            f"{running.target.name} got no update within {PROBE_TIMEOUT:.0f} s in webhook mode"
        ) from None


@dataclass
class Contender:
    """A bot under test with its own emulator and users, so that the bot and the echo bot
    can both be up at once and take turns, phase by phase."""

    target: Target
    load: Load
    running: Running | None = None


async def start(contender: Contender, mode: str, log: Path, pin: bool) -> Running:
    load = contender.load
    for delegate in load.delegates:
        delegate.agenda, delegate.lost = None, False
        await drain(delegate.sim)
    load.emulator.drop_pending_updates()
    running = Running(contender.target, mode, log)
    contender.running = running
    await running.start(load.emulator, pin)
    load.progress(f"{contender.target.name} ({mode}) ready, pid {running.pid}")
    if mode == "webhook":
        await probe(load, running)
    return running


async def measure(
    contenders: Sequence[Contender],
    mode: str,
    loads: Sequence[float],
    work: Path,
    pin: bool,
    profile: Path | None,
) -> list[Phase]:
    """Start every contender in `mode`, then run each load on one after the other (the
    bot, then the echo bot, for the closed loop and then for every open load), so that
    a machine that slows down during the run slows both alike; stop them all."""
    phases: list[Phase] = []
    spy = None
    try:
        for number, contender in enumerate(contenders):
            await start(contender, mode, work / f"contender{number}-{mode}.log", pin)
        for number, contender in enumerate(contenders):
            assert contender.running is not None
            closed, started = await closed_loop(
                contender.load, contender.running, profile if number == 0 else None
            )
            spy = spy or started
            phases.append(closed)
            contender.load.progress(describe(closed))
        for rate in loads:
            for contender in contenders:
                assert contender.running is not None
                phase = await open_loop(contender.load, contender.running, rate)
                phases.append(phase)
                contender.load.progress(describe(phase))
        for contender in contenders:
            if contender.running is not None and not contender.running.alive():
                name = contender.target.name
                raise BenchFailure(f"{name} died during the run:\n{contender.running.tail()}")
    finally:
        if spy is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(spy.wait(), 30)
            if spy.returncode is None:
                spy.kill()
                await spy.wait()
        for contender in contenders:
            if contender.running is not None:
                await contender.running.stop()
                contender.running = None
            contender.load.emulator.drop_pending_updates()
    return phases


def describe(phase: Phase) -> str:
    offered = (
        f"offered {phase.offered:.0f}/s, sent {phase.sent / phase.window:.1f}/s, "
        if phase.loop == "open"
        else ""
    )
    kinds = ", ".join(f"{k} {v:.1f}" for k, v in phase.by_kind.items())
    return (
        f"  {phase.target} {phase.mode} {phase.loop}: {offered}{phase.throughput:.1f} updates/s, "
        f"p50 {phase.percentile(0.5):.1f} p95 {phase.percentile(0.95):.1f} "
        f"p99 {phase.percentile(0.99):.1f} ms (median by kind: {kinds}), "
        f"CPU {phase.cpu:.2f} s ({phase.cpu_ms_per_update:.2f} ms/update), "
        f"peak {phase.peak / MB:.0f} MB, bench CPU {phase.bench_cpu:.2f} s, "
        f"other processes {phase.others_cpu:.2f} s, "
        f"errors {phase.errors}, skipped {phase.skipped}"
    )


# ------------------------------------------------------------------ the run


@dataclass(frozen=True)
class Options:
    delegates: int
    users: int
    seconds: float
    warmup: float
    loads: tuple[float, ...]
    modes: tuple[str, ...]
    seed: int
    profile: Path | None = None
    quiet_wait: float = QUIET_WAIT


@dataclass
class Outcome:
    phases: list[Phase]
    notes: list[str]
    pinned: bool
    attendance: int


async def prepare(work: Path, options: Options, emulator: TelegramEmulator) -> tuple[int, date]:
    """The summit, imported with the real CLI, every delegate registered in SQLite."""
    first_day = datetime.now(VENUE).date() + timedelta(days=1)
    size = make_summit(work / "data", options.delegates, options.seed, first_day)
    config = write_config(work, emulator.api_base_url, "polling", 0)
    imported = await summitbot(
        "import", "--config", str(config), *map(str, size.files), timeout=IMPORT_TIMEOUT
    )
    if imported.code != 0:
        raise BenchFailure(f"summitbot import failed:\n{imported.stderr[-3000:]}")
    register_everyone(work / "summit.db")
    return size.attendance, first_day


async def run(options: Options, work: Path, progress: Callable[[str], None]) -> Outcome:
    pin = pinning_possible()
    before = os.sched_getaffinity(0) if pin else set()
    if pin:
        os.sched_setaffinity(0, {BENCH_CORE})
    try:
        return await measure_all(options, work, progress, pin)
    finally:
        if pin:  # a caller (the smoke test's pytest) keeps running on every core
            os.sched_setaffinity(0, before)


async def users(emulator: TelegramEmulator, options: Options) -> list[Delegate]:
    """Every tenth registered delegate (at full scale), each with a chat the bot may
    write to (a user must write first), and no update left pending."""
    step = max(1, options.delegates // options.users)
    delegates = [Delegate(emulator.user(FIRST_USER + i * step)) for i in range(options.users)]
    for delegate in delegates:
        await delegate.sim.send("/start")
    emulator.drop_pending_updates()
    return delegates


async def measure_all(
    options: Options, work: Path, progress: Callable[[str], None], pin: bool
) -> Outcome:
    """The summit, then for each mode both bots, each on its own emulator (one token,
    one getUpdates or webhook per emulator) with its own 2,000 users."""
    async with (
        TelegramEmulator(token=TOKEN, bot_username="SummitBenchBot", rate_limits=NO_LIMITS) as ours,
        TelegramEmulator(token=TOKEN, bot_username="EchoBenchBot", rate_limits=NO_LIMITS) as theirs,
    ):
        started = time.perf_counter()
        attendance, first_day = await prepare(work, options, ours)
        progress(
            f"summit of {options.delegates} delegates imported and registered in "
            f"{time.perf_counter() - started:.1f} s"
        )
        days = [first_day + timedelta(days=n) for n in range(DAYS)]
        contenders = [
            Contender(
                target,
                Load(
                    emulator,
                    await users(emulator, options),
                    days,
                    options.seconds,
                    options.warmup,
                    random.Random(options.seed),
                    progress,
                    options.quiet_wait,
                ),
            )
            for target, emulator in (
                (summit_bot(work, ours.api_base_url), ours),
                (echo_bot(theirs.api_base_url), theirs),
            )
        ]
        phases: list[Phase] = []
        notes: list[str] = []
        for mode in options.modes:
            profile = options.profile if mode == options.modes[0] else None
            try:
                phases += await measure(contenders, mode, options.loads, work, pin, profile)
            except WebhookUnsupported as unsupported:
                notes.append(
                    f"Webhook mode was not measured: {unsupported} (the emulator does not "
                    "deliver updates to webhooks yet); `--mode webhook` measures it once it does."
                )
                progress(notes[-1])
    return Outcome(phases, notes, pin, attendance)


# ------------------------------------------------------------------ the report


def ms(value: float) -> str:
    return "—" if value != value else f"{value:.1f}"  # NaN: nothing answered


def ratio(ours: float, theirs: float) -> str:
    if not theirs or ours != ours or theirs != theirs:
        return "—"
    return f"{ours / theirs:.2f}"


def phase_row(phase: Phase, *, offered: bool) -> list[str]:
    row = [phase.target, phase.mode]
    if offered:
        row += [f"{phase.offered:.0f}", f"{phase.sent / phase.window:.1f}"]
    row += [
        f"{phase.throughput:.1f}",
        ms(phase.percentile(0.5)),
        ms(phase.percentile(0.95)),
        ms(phase.percentile(0.99)),
        f"{phase.cpu:.2f}",
        f"{phase.cpu_ms_per_update:.2f}",
        f"{phase.peak / MB:.0f}",
        f"{phase.bench_cpu / phase.window * 100:.0f}%",
        f"{phase.others_cpu / phase.window * 100:.0f}%",
        str(phase.errors + phase.skipped),
    ]
    return row


def ratio_row(ours: Phase, echo: Phase, *, offered: bool, met: str) -> list[str]:
    row = ["Summit Bot ÷ echo", ours.mode]
    if offered:
        row += [f"{ours.offered:.0f}", ""]
    row += [
        ratio(ours.throughput, echo.throughput),
        ratio(ours.percentile(0.5), echo.percentile(0.5)),
        ratio(ours.percentile(0.95), echo.percentile(0.95)),
        ratio(ours.percentile(0.99), echo.percentile(0.99)),
        ratio(ours.cpu, echo.cpu),
        ratio(ours.cpu_ms_per_update, echo.cpu_ms_per_update),
        ratio(ours.peak, echo.peak),
        "",
        "",
        met,
    ]
    return row


HEADER = (
    "answered /s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "CPU s",
    "CPU ms / update",
    "peak MB",
    "bench core busy",
    "others",
)


def pair(
    phases: Sequence[Phase], loop: str, mode: str, offered: float
) -> tuple[Phase, Phase] | None:
    """The bot's phase and the echo bot's under the same load, if both were measured."""
    found = {
        p.target: p for p in phases if p.loop == loop and p.mode == mode and p.offered == offered
    }
    ours, echo = found.get("Summit Bot"), found.get("echo bot (baseline)")
    return (ours, echo) if ours is not None and echo is not None else None


def report(options: Options, outcome: Outcome, command: str) -> str:
    phases = outcome.phases
    modes = [m for m in options.modes if any(p.mode == m for p in phases)]
    closed_rows: list[list[str]] = []
    open_rows: list[list[str]] = []
    verdicts: list[str] = []
    for mode in modes:
        if closed := pair(phases, "closed", mode, 0.0):
            ours, echo = closed
            share = ours.throughput / echo.throughput if echo.throughput else 0.0
            met = "yes" if share >= TARGET_THROUGHPUT_RATIO else "**no**"
            closed_rows += [
                phase_row(ours, offered=False),
                phase_row(echo, offered=False),
                ratio_row(ours, echo, offered=False, met=f"≥ {TARGET_THROUGHPUT_RATIO}: {met}"),
            ]
            verdicts.append(
                f"closed loop ({mode}): {share:.2f} of the echo bot's throughput "
                f"(target ≥ {TARGET_THROUGHPUT_RATIO}): {met}"
            )
        for rate in options.loads:
            if opened := pair(phases, "open", mode, rate):
                ours, echo = opened
                met = ""
                if rate == TARGET_RATE:
                    p99 = ours.percentile(0.99)
                    kept_up = ours.errors + ours.skipped == 0
                    ok = kept_up and p99 < TARGET_P99_MS
                    met = f"p99 < {TARGET_P99_MS:.0f} ms: {'yes' if ok else '**no**'}"
                    verdicts.append(f"open loop ({mode}) at {rate:.0f}/s: {met} ({p99:.1f} ms)")
                open_rows += [
                    phase_row(ours, offered=True),
                    phase_row(echo, offered=True),
                    ratio_row(ours, echo, offered=True, met=met),
                ]
    closed_table = markdown_table(("process", "mode", *HEADER, "errors / target"), closed_rows)
    open_table = markdown_table(
        ("process", "mode", "offered /s", "sent /s", *HEADER, "errors / target"), open_rows
    )
    cores = (
        f"The bot (or the echo bot) ran pinned to core {BOT_CORE}; the emulator and the "
        f"load generator (the benchmark process) to core {BENCH_CORE}."
        if outcome.pinned
        else "Processes were not pinned to cores (fewer than two cores)."
    )
    loads = ", ".join(f"{rate:.0f}" for rate in options.loads)
    bullets = [
        f"Machine: {machine()}. {cores}",
        f"Command: `{command}`.",
        f"Summit Bot (`python -m bot run`) with the {options.delegates:,}-delegate summit of "
        f"`bench.make_summit` ({outcome.attendance:,} attendance rows) imported and every "
        f"delegate registered; the summit starts tomorrow. {options.users:,} registered "
        "delegates send `/agenda <a summit day>` (30%), `/next` (30%) and press ◀/▶ on their "
        "agenda message, which the bot answers and edits (40%). Latency: from the update "
        "being queued in the emulator to the answering sendMessage / editMessageText "
        "arriving at it.",
        "Closed loop: every user sends, waits for the answer and sends again; answers "
        f"counted over {options.seconds:g} s, after everyone's first answer and "
        f"{options.warmup:g} s more. Latency there is users ÷ throughput (Little's law): "
        "the figure to compare is answered /s.",
        f"Open loop: Poisson arrivals at {loads} updates/s to random users not already "
        f"waiting, {options.seconds:g} s each. Target: at {TARGET_RATE:.0f} updates/s, "
        f"p99 < {TARGET_P99_MS:.0f} ms.",
        "Polling: the bot's own `getUpdates`. Webhook: the emulator POSTs each update to the "
        'bot\'s webhook (`[telegram] mode = "webhook"` on 127.0.0.1), and the bot answers '
        "inside the webhook response where it can (one Bot API request fewer).",
        "Baseline, in the same run: `bench/echo_bot.py`, python-telegram-bot with one "
        "handler echoing the text (with two buttons for /agenda) and one answering a press "
        "and editing, started the same way against an emulator of its own, under the same "
        "loads, taking turns with the bot phase by phase. "
        f"It handles {bot_concurrency()} updates at once as the bot does "
        "(`CONCURRENT_UPDATES`) and is otherwise stock: it answers through the Bot API in "
        "both modes, and keeps PTB's single connection pool, in which httpcore checks every "
        "open connection on every request (the bot splits its connections into small "
        "pools, `bot/telegram/http.py`), so with many updates in flight it spends more CPU "
        "per update than at a gentle open-loop rate.",
        "CPU s and peak MB are the bot process's own during the window (utime + stime of "
        'all its threads; VmHWM reset before each phase). "bench core busy" is the '
        "benchmark process's share of its core (near 100% would mean the load generator, "
        'not the bot, set the pace); "others" is the CPU every other process used '
        "meanwhile, in % of one core (anything but about 0 disturbed the figures). Errors "
        f"are updates without an answer within {ANSWER_TIMEOUT:.0f} s, plus open-loop "
        "arrivals that found every user already waiting.",
        *outcome.notes,
    ]
    text = "\n".join(
        textwrap.fill(
            item,
            width=92,
            initial_indent="- ",
            subsequent_indent="  ",
            break_on_hyphens=False,
            break_long_words=False,
        )
        for item in bullets
    )
    return f"""## Interactive load

{text}

### Closed loop ({options.users:,} users)

{closed_table}

### Open loop

{open_table}

Verdict: {"; ".join(verdicts) or "no phase completed"}.
"""


# ------------------------------------------------------------------ command line


def parse(argv: Sequence[str] | None) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(
        prog="python -m bench.interactive",
        description="Closed- and open-loop load of delegates on the bot, against an echo bot.",
    )
    parser.add_argument("--users", type=int, default=None, help="simulated delegates (2000)")
    parser.add_argument("--delegates", type=int, default=None, help="summit size (20000)")
    parser.add_argument("--seconds", type=float, default=None, help="window per phase (20)")
    parser.add_argument("--warmup", type=float, default=None, help="closed-loop warm-up (5)")
    parser.add_argument(
        "--loads", default=None, help="open-loop offered rates, comma-separated (100,200,400)"
    )
    parser.add_argument(
        "--mode", choices=("polling", "webhook", "both"), default="both", help="(both)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quick", action="store_true", help="200 users, 2,000 delegates, 5 s phases"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=QUIET_WAIT,
        metavar="S",
        help=f"wait up to S s before each phase for other processes to go quiet ({QUIET_WAIT:g})",
    )
    parser.add_argument("--profile", type=Path, help="py-spy raw profile of the closed loop")
    parser.add_argument(
        "--out", type=Path, help="results page (default bench/results/interactive.md; '-' = none)"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    loads = (
        tuple(float(x) for x in args.loads.split(",") if x.strip())
        if args.loads
        else (QUICK_LOADS if quick else LOADS)
    )
    options = Options(
        delegates=args.delegates or (2_000 if quick else 20_000),
        users=args.users or (200 if quick else 2_000),
        seconds=args.seconds or (5.0 if quick else 20.0),
        warmup=args.warmup if args.warmup is not None else (2.0 if quick else 5.0),
        loads=loads,
        modes=("polling", "webhook") if args.mode == "both" else (args.mode,),
        seed=args.seed,
        profile=args.profile,
        quiet_wait=max(0.0, args.quiet_wait),
    )
    if options.users < 1 or options.users > options.delegates:
        parser.error("--users must be between 1 and --delegates")
    if options.seconds <= 0 or any(rate <= 0 for rate in loads):
        parser.error("--seconds and every load must be positive")
    out = args.out
    if out is None:
        out = None if args.profile else RESULTS / "interactive.md"
    elif str(out) == "-":
        out = None
    return options, out


def main(argv: Sequence[str] | None = None) -> int:
    options, out = parse(argv)
    shown = list(sys.argv[1:] if argv is None else argv)
    command = " ".join([".venv/bin/python -m bench.interactive", *map(shlex.quote, shown)])

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="summitbot-bench-") as work:
        try:
            outcome = asyncio.run(run(options, Path(work), progress))
        except BenchFailure as failure:
            print(f"bench.interactive: {failure}", file=sys.stderr)
            return 1
    section = report(options, outcome, command)
    print(section)
    if out is not None:
        write_fragment(out, section)
        progress(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
