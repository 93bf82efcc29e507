from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import SettableClock, SystemClock


def test_settable_clock_moves_all_three_readings_together() -> None:
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    clock = SettableClock(start)
    before = clock.monotonic()
    clock.advance(timedelta(seconds=90))
    assert clock.now() == start + timedelta(seconds=90)
    assert clock.time() == (start + timedelta(seconds=90)).timestamp()
    assert clock.monotonic() == before + 90


def test_setting_a_settable_clock_back_never_moves_monotonic_back() -> None:
    clock = SettableClock(datetime(2026, 12, 1, 9, tzinfo=UTC))
    before = clock.monotonic()
    clock.set(datetime(2026, 11, 30, tzinfo=UTC))
    assert clock.monotonic() == before


def test_settable_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError):
        SettableClock(datetime(2026, 12, 1, 9))


def test_system_clock_readings_agree() -> None:
    clock = SystemClock()
    assert abs(clock.now().timestamp() - clock.time()) < 1
    assert clock.monotonic() <= clock.monotonic()
