"""Running the real `summitbot` command line against the emulator, as an operator would.

Which `summitbot`: `$SUMMITBOT_BIN` when set — `make e2e` sets it to the command of the
wheel it built and installed into a fresh virtual environment outside the source tree —
else this interpreter's `python -m bot` (the editable install, for quick runs while
developing). Either way the child runs in an empty working directory and without
PYTHONPATH, so it can only import what its installation holds.
"""

from __future__ import annotations

import asyncio
import atexit
import csv
import functools
import io
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TOKEN = "123456:TEST-token-for-the-emulator"
BIN_ENV = "SUMMITBOT_BIN"


def summitbot_command() -> list[str]:
    """The argv prefix that starts the `summitbot` under test."""
    installed = os.environ.get(BIN_ENV)
    return [installed] if installed else [sys.executable, "-m", "bot"]


def describe_command() -> str:
    """One line for the test session's header: which summitbot the end-to-end tests run."""
    installed = os.environ.get(BIN_ENV)
    if installed:
        return f"summitbot under test: {installed} (${BIN_ENV}: an installed wheel)"
    return (
        f"summitbot under test: {sys.executable} -m bot (the source tree; make e2e tests the wheel)"
    )


@functools.cache
def neutral_directory() -> Path:
    """An empty working directory for children: nothing of the source tree is importable."""
    path = Path(tempfile.mkdtemp(prefix="summitbot-cwd-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str


def write_config(
    directory: Path, api_base_url: str, *, organizers: tuple[int, ...] = (), extra: str = ""
) -> Path:
    path = directory / "config.toml"
    path.write_text(
        f"""
[telegram]
token = "{TOKEN}"
api_base_url = "{api_base_url}"

[storage]
database = "summit.db"

[summit]
name = "Test Summit"
timezone = "Asia/Riyadh"
default_language = "en"
organizers = [{", ".join(map(str, organizers))}]

[logging]
level = "DEBUG"
{extra}
""",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


_NOT_INHERITED = {"SUMMITBOT_TOKEN", "SUMMITBOT_CONFIG", "PYTHONPATH", "PYTHONHOME"}


def child_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env["PYTHONUNBUFFERED"] = "1"
    return env


async def summitbot(*args: str, timeout: float = 60) -> Completed:
    """Run `summitbot ARGS` to completion without blocking the emulator's event loop."""
    process = await asyncio.create_subprocess_exec(
        *summitbot_command(),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=child_environment(),
        cwd=neutral_directory(),
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return Completed(process.returncode, stdout.decode(), stderr.decode())


async def invite_codes(config: Path) -> dict[str, str]:
    result = await summitbot("invites", "--config", str(config))
    assert result.code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    return {row["delegate_id"]: row["code"] for row in rows}


class BotProcess:
    """`summitbot run` in a child process; its log goes to a file the tests can read."""

    def __init__(self, config: Path, log_path: Path) -> None:
        self.config = config
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(
        self, emulator: object, timeout: float = 30, ready: str = "deleteWebhook"
    ) -> None:
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            *summitbot_command(),
            "run",
            "--config",
            str(self.config),
            stdout=log,
            stderr=log,
            env=child_environment(),
            cwd=neutral_directory(),
        )
        log.close()
        await self.wait_until_polling(emulator, timeout, seen=len(emulator.requests), ready=ready)  # type: ignore[attr-defined]

    async def wait_until_polling(
        self, emulator: object, timeout: float, seen: int = 0, ready: str = "deleteWebhook"
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            requests = emulator.requests[seen:]  # type: ignore[attr-defined]
            # deleteWebhook is the last call before polling (a getUpdates is logged only
            # when its long poll returns).
            if any(r.method == ready for r in requests):
                return
            assert self.process is not None
            if self.process.returncode is not None:
                raise AssertionError(f"bot exited with {self.process.returncode}:\n{self.log()}")
            await asyncio.sleep(0.05)
        raise AssertionError(f"bot did not start polling within {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def kill(self) -> None:
        """SIGKILL: no chance to finish or record anything."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def stop(self, timeout: float = 20) -> int:
        if self.process is None:
            return 0
        if self.process.returncode is not None:
            # A test that SIGKILLed the bot and did not restart it: nothing to stop.
            return 0 if self.process.returncode == -9 else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"bot did not stop on SIGTERM within {timeout}s") from None
