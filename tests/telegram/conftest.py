"""The governor's and the worker's tests run on a settable clock that timers move."""

from datetime import UTC, datetime

import pytest

from bot.clock import SettableClock
from tests.telegram.virtual_time import VirtualTime


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2026, 5, 12, 9, 0, tzinfo=UTC))


@pytest.fixture
async def virtual(clock):
    time = VirtualTime(clock)
    yield time
    await time.close()
