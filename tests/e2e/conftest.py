"""A summit imported with the real CLI and the real bot process, per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bot.sandbox.emulator import TelegramEmulator

from bot.sandbox.driver import SimulatedUser
from tests.support.bot_process import TOKEN, BotProcess, invite_codes, summitbot, write_config
from tests.support.summit_files import summit_files

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

    def new_user(
        self, first_name: str = "Guest", language_code: str | None = "en"
    ) -> SimulatedUser:
        self.next_user_id += 1
        return self.emulator.user(
            self.next_user_id, first_name=first_name, language_code=language_code
        )

    async def register(self, delegate_id: str, language_code: str | None = "en") -> SimulatedUser:
        user = self.new_user(delegate_id.title(), language_code)
        await user.send(f"/start {self.codes[delegate_id]}")
        reply = await user.reply()
        assert "Welcome" in reply.text or "Bienvenue" in reply.text, reply.text
        self.users[delegate_id] = user
        return user


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN) as emu:
        yield emu


@pytest.fixture
async def summit(tmp_path: Path, emulator: TelegramEmulator) -> AsyncIterator[Summit]:
    config = write_config(tmp_path, emulator.api_base_url, organizers=(ORGANIZER_ID,))
    paths = []
    for name, data in summit_files(datetime.now(UTC)).items():
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
        assert code == 0, f"bot exited with {code}:\n{log}"
        assert "Traceback" not in log, log
