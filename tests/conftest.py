"""Session-wide: which `summitbot` the end-to-end tests start, and the one emulator fixture.

`emulator` is the Telegram every test talks to: started for the bot's test token, with
the strict default flood limits. A module that needs it set up otherwise passes
`TelegramEmulator`'s keyword arguments as an indirect parameter instead of defining its
own, e.g.::

    pytestmark = pytest.mark.parametrize(
        "emulator", [{"webhook_policy": FAST_RETRIES}], indirect=True, ids=["fast-retries"]
    )
"""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.sandbox.emulator import TelegramEmulator
from tests.support.bot_process import TOKEN, describe_command


def pytest_report_header() -> list[str]:
    return [describe_command()]


@pytest.fixture
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[TelegramEmulator]:
    """The emulator, started; a test fails if the bot called Telegram inside a window a
    429 had closed."""
    options: dict[str, Any] = {"token": TOKEN, **getattr(request, "param", {})}
    async with TelegramEmulator(**options) as emu:
        yield emu
        assert emu.violations == [], f"calls inside a retry_after window: {emu.violations[:5]}"
