"""What every benchmark needs: timing a child process, its peak memory, and a results page.

Figures are taken from the outside, as an operator would see them: a child process started
the way the operator starts it, its wall time, and its peak resident memory as the kernel
accounts it (`wait4` rusage, `/proc/<pid>/status`), not an estimate from inside Python.
"""

from __future__ import annotations

import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


@dataclass(frozen=True)
class ChildRun:
    """A finished child: exit code, wall time from spawn to reaped, and its peak RSS."""

    code: int
    seconds: float
    peak_rss: int
    """Bytes: the child's ru_maxrss (its own high-water mark, not its children's)."""


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment without the bot's own variables, so a developer's SUMMITBOT_TOKEN
    or SUMMITBOT_CONFIG cannot point a benchmark at a real bot or database."""
    env = {k: v for k, v in os.environ.items() if k not in {"SUMMITBOT_TOKEN", "SUMMITBOT_CONFIG"}}
    env.update(extra or {})
    return env


def python_module(module: str, *args: str) -> list[str]:
    """`python -m module args` with this interpreter (the project's virtualenv)."""
    return [sys.executable, "-m", module, *args]


def wait_child(
    process: subprocess.Popen[bytes], started: float, timeout: float
) -> tuple[int, float, int]:
    """Reap `process` with `os.wait4`, which returns that one child's rusage.

    (`getrusage(RUSAGE_CHILDREN)` would report the maximum over every child reaped so far.)
    A timer kills the child after `timeout` seconds, so the wait is bounded; that is then
    an error. Returns (exit code, seconds since `started`, peak RSS in bytes).
    """
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        killer.cancel()
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code  # reaped here: Popen must not wait for it again
    if code == -signal.SIGKILL and seconds >= timeout:
        raise TimeoutError(f"{process.args!r} did not finish within {timeout:.0f} s")
    return code, seconds, usage.ru_maxrss * 1024


def run_child(
    argv: Sequence[str],
    *,
    stdout: Path,
    stderr: Path,
    timeout: float,
    env: Mapping[str, str] | None = None,
) -> ChildRun:
    """Run `argv` to completion; its output goes to files (a pipe nobody reads while we
    wait would block a chatty child and distort the timing)."""
    with stdout.open("wb") as out, stderr.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
    code, seconds, peak = wait_child(process, started, timeout)
    return ChildRun(code, seconds, peak)


def proc_status(pid: int) -> dict[str, int]:
    """The memory lines of /proc/<pid>/status (VmHWM, VmRSS, ...) in bytes."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if name.startswith("Vm") and len(parts) == 2 and parts[1] == "kB":
            values[name] = int(parts[0]) * 1024
    return values


@dataclass(frozen=True)
class Spread:
    """Median, min and max of repeated measurements."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no measurements")
        return cls(statistics.median(values), min(values), max(values))


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def megabytes(value: float) -> str:
    return f"{value / 1024 / 1024:.0f} MB"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """One line naming what the figures were measured on: they mean little without it."""
    try:
        ptb = metadata.version("python-telegram-bot")
    except metadata.PackageNotFoundError:  # pragma: no cover - it is a dependency
        ptb = "?"
    return (
        f"{cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"python-telegram-bot {ptb}; measured {datetime.now(UTC).strftime('%Y-%m-%d')}"
    )


def write_fragment(path: Path, text: str) -> None:
    """Write a results page (markdown), creating bench/results/ if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def publish(path: Path, text: str, *, write: bool) -> None:
    """Print a results page and, when `write`, keep it at `path` (under bench/results)."""
    print(text)
    if write:
        write_fragment(path, text)
