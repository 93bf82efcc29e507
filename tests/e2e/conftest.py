"""A summit imported with the real CLI and the real bot process, per test.

The `emulator` fixture these build on is the shared one in `tests/conftest.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.driver import SimulatedUser
from bot.sandbox.emulator import RateLimits, TelegramEmulator
from tests.support.bot_process import TOKEN, BotProcess, invite_codes, summitbot, write_config
from tests.support.summit_files import summit_files, to_csv

ORGANIZER_ID = 900


@dataclass
class Summit:
    emulator: TelegramEmulator
    config: Path
    bot: BotProcess
    codes: dict[str, str]
    directory: Path
    next_user_id: int = 1000
    users: dict[str, SimulatedUser] = field(default_factory=dict)
    # The Mini App's client (tests.support.webapp.MiniApp) when the fixture started one.
    app: Any = None

    def new_user(
        self, first_name: str = "Guest", language_code: str | None = "en"
    ) -> SimulatedUser:
        self.next_user_id += 1
        return self.emulator.user(
            self.next_user_id, first_name=first_name, language_code=language_code
        )

    @property
    def organizer(self) -> SimulatedUser:
        return self.emulator.user(ORGANIZER_ID, first_name="Olga", language_code="en")

    async def register(self, delegate_id: str, language_code: str | None = "en") -> SimulatedUser:
        user = self.new_user(delegate_id.title(), language_code)
        await user.send(f"/start {self.codes[delegate_id]}")
        reply = await user.reply()
        # Every language's welcome points to /agenda; no refusal does.
        assert "/agenda" in reply.text and "/start" not in reply.text, reply.text
        self.users[delegate_id] = user
        return user

    async def register_all(
        self, delegate_ids: list[str], timeout: float = 120
    ) -> list[SimulatedUser]:
        """Everyone sends /start at once (as at a summit's opening) and gets welcomed."""
        users = [self.new_user(d) for d in delegate_ids]
        await asyncio.gather(
            *(u.send(f"/start {self.codes[d]}") for u, d in zip(users, delegate_ids, strict=True))
        )
        replies = await asyncio.gather(*(u.reply(timeout=timeout) for u in users))
        assert all("Welcome" in r.text for r in replies)
        self.users.update(zip(delegate_ids, users, strict=True))
        return users

    async def restart(self) -> None:
        await self.bot.start(self.emulator)


def allowing(rate: float, per_chat_burst: int = 4) -> RateLimits:
    """A Telegram that grants this bot `rate` messages a second (with a second's worth of
    burst), for tests that configure `delivery.messages_per_second` above the default 30:
    a bot configured faster than its Telegram allows would be flooding it by design."""
    return RateLimits(
        global_per_second=rate,
        per_chat_per_second=1,
        per_chat_burst=per_chat_burst,
        global_burst=rate,
    )


def delegates_csv(count: int) -> bytes:
    rows = [["id", "name", "delegation"]]
    rows += [[f"d{i:05d}", f"Delegate {i}", f"Delegation {i % 50}"] for i in range(count)]
    return to_csv(rows)


@asynccontextmanager
async def launch(
    tmp_path: Path,
    emulator: TelegramEmulator,
    files: Mapping[str, bytes],
    *,
    extra_config: str = "",
) -> AsyncIterator[Summit]:
    """Import `files` with `summitbot import`, make invites, run `summitbot run`."""
    config = write_config(
        tmp_path, emulator.api_base_url, organizers=(ORGANIZER_ID,), extra=extra_config
    )
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    imported = await summitbot("import", "--config", str(config), *paths)
    assert imported.code == 0, imported.stderr
    codes = await invite_codes(config)
    bot = BotProcess(config, tmp_path / "bot.log")
    await bot.start(emulator)
    try:
        yield Summit(emulator, config, bot, codes, tmp_path)
    finally:
        code = await bot.stop()
        log = bot.log()
        assert TOKEN not in log and TOKEN.split(":")[1] not in log, "the bot logged its token"
        assert code == 0, f"bot exited with {code}:\n{log[-5000:]}"
        assert "Traceback" not in log, log[-5000:]


@pytest.fixture
async def summit(tmp_path: Path, emulator: TelegramEmulator) -> AsyncIterator[Summit]:
    async with launch(tmp_path, emulator, summit_files(datetime.now(UTC))) as running:
        yield running
