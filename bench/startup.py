"""Import and start-up at full scale: what an operator waits for before the summit opens.

    .venv/bin/python -m bench.startup [--delegates 20000] [--repeat 3] [--out PATH]

Everything runs as the operator runs it, each step a fresh `python -m bot ...` process with
its own config file in a temporary folder:

1. `summitbot import` of the files `bench.make_summit` writes, into a fresh database:
   wall time and peak memory;
2. the same import again, when nothing changes (what a cautious organizer does);
3. `summitbot invites`, which creates a code for every delegate;
4. `summitbot run` against a `TelegramEmulator` served from a thread of this process: time
   from spawning the process to its `deleteWebhook` call (the bot's last step before it
   polls, as tests/support/bot_process.py uses it), peak RSS after a short idle
   (`VmHWM`), and time from SIGTERM to exit.

Each is repeated and reported as median (min, max) next to the targets of the scale issue,
printed and written to bench/results/startup.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bench.bot_under_test import write_bot_config
from bench.common import (
    RESULTS,
    Spread,
    child_environment,
    machine,
    markdown_table,
    megabytes,
    proc_status,
    python_module,
    run_child,
    seconds,
    wait_child,
    write_fragment,
)
from bench.make_summit import SummitSize, make_summit
from bot.importers import MAX_ROWS
from bot.sandbox.emulator import TelegramEmulator

TOKEN = "123456:BENCH-token-for-the-emulator"
IDLE_SECONDS = 3.0
"""How long the ready bot idles before its memory is read: long enough for the delivery
worker and progress monitor to make their first rounds."""
CHILD_TIMEOUT = 300.0
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0
MB = 1024 * 1024

T = TypeVar("T")


class EmulatorThread:
    """A TelegramEmulator on its own event loop in a background thread.

    The benchmark waits for children with a blocking `os.wait4` (the only way to get one
    child's rusage), which an event loop in the same thread could not serve meanwhile.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.emulator = TelegramEmulator(token=TOKEN, bot_username="SummitBenchBot")

    def __enter__(self) -> TelegramEmulator:
        self._thread.start()
        self._call(self.emulator.start())
        return self.emulator

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._call(self.emulator.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)
            if not self._thread.is_alive():
                self.loop.close()

    def _call(self, coroutine: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return future.result(timeout=30)


def write_config(directory: Path, api_base_url: str) -> Path:
    """An operator's config: INFO logging, the database next to it."""
    directory.mkdir(parents=True, exist_ok=True)
    return write_bot_config(directory / "config.toml", TOKEN, api_base_url)


@dataclass
class Figures:
    """Every repeat's measurements, by measure."""

    generate: list[float] = field(default_factory=list)
    import_seconds: list[float] = field(default_factory=list)
    import_peak: list[float] = field(default_factory=list)
    reimport_seconds: list[float] = field(default_factory=list)
    invites_seconds: list[float] = field(default_factory=list)
    ready_seconds: list[float] = field(default_factory=list)
    bot_peak: list[float] = field(default_factory=list)
    stop_seconds: list[float] = field(default_factory=list)
    load: float = 0.0
    """1-minute load average when the benchmark started: other work skews the figures."""


class BenchFailure(Exception):
    """A step did not do what an operator expects: the figures would be meaningless."""


def _cli(config: Path, folder: Path, name: str, *args: str) -> tuple[float, int, str]:
    """Run `summitbot ARGS --config CONFIG`; fail with its stderr unless it exits 0."""
    stdout, stderr = folder / f"{name}.out", folder / f"{name}.err"
    run = run_child(
        python_module("bot", *args, "--config", str(config)),
        stdout=stdout,
        stderr=stderr,
        timeout=CHILD_TIMEOUT,
        env=child_environment(),
    )
    if run.code != 0:
        raise BenchFailure(f"summitbot {args[0]} exited with {run.code}:\n{_tail(stderr)}")
    return run.seconds, run.peak_rss, stdout.read_text(encoding="utf-8")


def _tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def measure_bot(config: Path, emulator: TelegramEmulator, log: Path) -> tuple[float, int, float]:
    """`summitbot run`: (seconds to ready, peak RSS bytes after idling, seconds to exit)."""
    seen = len(emulator.requests)
    with log.open("ab") as stream:
        spawned_at = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(
            python_module("bot", "run", "--config", str(config)),
            stdout=stream,
            stderr=subprocess.STDOUT,
            env=child_environment(),
        )
    try:
        ready = _wait_ready(emulator, seen, process, started, log)
        # The emulator stamps each request with time.time() on arrival: exact, and not
        # rounded up to this loop's polling interval.
        ready_seconds = ready - spawned_at
        time.sleep(IDLE_SECONDS)
        peak = proc_status(process.pid)["VmHWM"]
        stop_at = time.perf_counter()
        process.send_signal(signal.SIGTERM)
        code, _, rusage_peak = wait_child(process, stop_at, STOP_TIMEOUT)
    except BaseException:
        if process.returncode is None:
            process.kill()
            process.wait()
        raise
    if code != 0:
        raise BenchFailure(f"summitbot run exited with {code} after SIGTERM:\n{_tail(log)}")
    return ready_seconds, max(peak, rusage_peak), time.perf_counter() - stop_at


def _wait_ready(
    emulator: TelegramEmulator,
    seen: int,
    process: subprocess.Popen[bytes],
    started: float,
    log: Path,
) -> float:
    """The arrival time of the bot's deleteWebhook (its last call before polling)."""
    while time.perf_counter() - started < READY_TIMEOUT:
        for record in emulator.requests[seen:]:
            if record.method == "deleteWebhook":
                return record.time
        if process.poll() is not None:
            raise BenchFailure(f"summitbot run exited with {process.returncode}:\n{_tail(log)}")
        time.sleep(0.01)
    raise BenchFailure(f"summitbot run was not ready within {READY_TIMEOUT:.0f} s:\n{_tail(log)}")


def _timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def run(delegates: int, repeat: int, work: Path, progress: Callable[[str], None]) -> str:
    """Measure everything `repeat` times and return the markdown section."""
    figures = Figures(load=os.getloadavg()[0])
    data = work / "data"
    size: SummitSize | None = None
    for _ in range(repeat):
        # Same seed each time: the files are identical, the timing is the generator's.
        elapsed, size = _timed(lambda: make_summit(data, delegates))
        figures.generate.append(elapsed)
    assert size is not None
    progress(
        f"data: {size.delegates} delegates, {size.sessions} sessions, "
        f"{size.attendance} attendance rows, generated in {min(figures.generate):.2f} s"
    )
    files = [str(path) for path in size.files]
    with EmulatorThread() as emulator:
        for number in range(1, repeat + 1):
            folder = work / f"run-{number}"
            config = write_config(folder, emulator.api_base_url)

            took, peak, out = _cli(config, folder, "import", "import", *files)
            if f"attendance: {size.attendance} added" not in out:
                raise BenchFailure(f"the first import did not add everything:\n{out}")
            figures.import_seconds.append(took)
            figures.import_peak.append(peak)

            took, _, out = _cli(config, folder, "reimport", "import", *files)
            if f"attendance: 0 added, 0 changed, 0 removed, {size.attendance} unchanged" not in out:
                raise BenchFailure(f"the re-import changed something:\n{out}")
            figures.reimport_seconds.append(took)

            took, _, out = _cli(config, folder, "invites", "invites")
            if len(out.splitlines()) != size.delegates + 1:
                raise BenchFailure("summitbot invites did not print one row per delegate")
            figures.invites_seconds.append(took)

            ready, peak, stop = measure_bot(config, emulator, folder / "bot.log")
            figures.ready_seconds.append(ready)
            figures.bot_peak.append(peak)
            figures.stop_seconds.append(stop)
            progress(
                f"run {number}/{repeat}: import {figures.import_seconds[-1]:.2f} s "
                f"({figures.import_peak[-1] / MB:.0f} MB), re-import "
                f"{figures.reimport_seconds[-1]:.2f} s, invites "
                f"{figures.invites_seconds[-1]:.2f} s, ready {ready:.2f} s, bot peak "
                f"{peak / MB:.0f} MB, exit {stop:.2f} s"
            )
            shutil.rmtree(folder)  # a 20,000-delegate database is large; keep one at a time
    return report(size, repeat, figures)


def report(size: SummitSize, repeat: int, figures: Figures) -> str:
    count = f"{size.delegates:,}"
    rows = [
        _row("generate the data set (`bench.make_summit`)", figures.generate, seconds, 10, "10 s"),
        _row("`summitbot import`, fresh database", figures.import_seconds, seconds, 15, "15 s"),
        _row("`summitbot import`, peak memory", figures.import_peak, megabytes),
        _row(
            "`summitbot import` again, nothing changes",
            figures.reimport_seconds,
            seconds,
            15,
            "15 s",
        ),
        _row(f"`summitbot invites` ({count} new codes)", figures.invites_seconds, seconds),
        _row("`summitbot run`: start to ready (polling)", figures.ready_seconds, seconds, 3, "3 s"),
        _row(
            f"`summitbot run`: peak memory (VmHWM) after {IDLE_SECONDS:.0f} s idle",
            figures.bot_peak,
            megabytes,
            300 * MB,
            "300 MB",
        ),
        _row("`summitbot run`: SIGTERM to exit", figures.stop_seconds, seconds),
    ]
    runs = f"{repeat} run" + ("s" if repeat > 1 else "")
    parts = f"{len(size.files) - 2} file" + ("s" if len(size.files) > 3 else "")
    table = markdown_table(("measure", "median", "min", "max", "target", "met?"), rows)
    return f"""## Import and start-up at {count} delegates

- Machine: {machine()}; 1-minute load average at the start: {figures.load:.2f}.
- Data: `bench.make_summit` (seed 1): {count} delegates in {size.delegations} delegations,
  {size.sessions:,} sessions ({size.invited_sessions} invited) over 5 days,
  {size.attendance:,} attendance rows in {parts} of at most {MAX_ROWS:,} rows
  (the importer's per-file limit), all given to one `summitbot import`.
- Each measure: {runs}, each a fresh `python -m bot ...` process with a fresh
  database; the bot runs against the Telegram emulator on loopback.
- Repeat with `make bench`, or `.venv/bin/python -m bench.startup --delegates {size.delegates}`.

{table}
"""


def _row(
    label: str,
    values: Sequence[float],
    show: Callable[[float], str],
    target: float | None = None,
    target_label: str = "",
) -> list[str]:
    """One table row; a target is met when the median is under it."""
    spread = Spread.of(values)
    if target is None:
        goal, met = "—", "—"
    else:
        goal = f"< {target_label}"
        met = "yes" if spread.median < target else "**no**"
    return [label, show(spread.median), show(spread.low), show(spread.high), goal, met]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.startup",
        description="Time summitbot import, invites and run start-up at full scale.",
    )
    parser.add_argument("--delegates", type=int, default=20000, metavar="N")
    parser.add_argument("--repeat", type=int, default=3, metavar="N")
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS / "startup.md",
        metavar="PATH",
        help="where to write the results (default bench/results/startup.md; '-' = only print)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.delegates < 2:
        parser.error("--repeat must be at least 1 and --delegates at least 2")

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="summitbot-bench-") as work:
        try:
            section = run(args.delegates, args.repeat, Path(work), progress)
        except BenchFailure as failure:
            print(f"bench.startup: {failure}", file=sys.stderr)
            return 1
    print(section)
    if str(args.out) != "-":
        write_fragment(args.out, section)
        progress(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
