"""Clients of the emulator for the sandbox's own tests: a PTB `Bot` and raw HTTP."""

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot

from bot.sandbox.emulator import TelegramEmulator


@pytest.fixture
async def bot(emulator: TelegramEmulator) -> AsyncIterator[Bot]:
    """A PTB Bot talking to the emulator (PTB's own request and error handling)."""
    base_url, file_url = emulator.api_base_url, emulator.api_file_url
    async with Bot(emulator.token, base_url=base_url, base_file_url=file_url) as client:
        yield client


@pytest.fixture
async def http(emulator: TelegramEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """Raw HTTP to the Bot API, for what PTB would not send; paths are method names."""
    async with httpx.AsyncClient(base_url=f"{emulator.api_base_url}{emulator.token}/") as client:
        yield client


@pytest.fixture
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns when RetryAfter is built without opting in to timedeltas."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
