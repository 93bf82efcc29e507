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
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.emulator import TelegramEmulator
from tests.support.bot_process import TOKEN, describe_command


def pytest_report_header() -> list[str]:
    return [describe_command()]


E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything under tests/e2e starts `summitbot`, so it is an end-to-end test whether or
    # not its module remembers the marker: `make unit` must not run it from the source
    # tree, and `make e2e` must run it against the installed wheel.
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[TelegramEmulator]:
    """The emulator, started; a test fails if the bot called Telegram inside a window a
    429 had closed."""
    options: dict[str, Any] = {"token": TOKEN, **getattr(request, "param", {})}
    async with TelegramEmulator(**options) as emu:
        yield emu
        assert emu.violations == [], f"calls inside a retry_after window: {emu.violations[:5]}"
