"""The waits of the governor and the worker: the loop's timer, and the virtual one tests use."""

import asyncio
from collections.abc import Callable
from datetime import timedelta

from bot.telegram.timers import LoopTimer, wait_for_event
from tests.telegram.virtual_time import VirtualTime


async def test_the_loop_timer_calls_back_and_can_be_cancelled():
    timer = LoopTimer()
    called: list[str] = []
    timer.call_later(0.001, lambda: called.append("kept"))
    timer.call_later(0.001, lambda: called.append("cancelled")).cancel()
    await timer.sleep(0.01)
    assert called == ["kept"]


async def test_waiting_for_an_event_ends_when_it_is_set(virtual: VirtualTime):
    event = asyncio.Event()
    started = virtual.clock.monotonic()
    virtual.call_later(2.0, event.set)
    await wait_for_event(event, 60.0, virtual)
    assert virtual.clock.monotonic() - started == 2.0
    assert virtual.pending() == 0  # the 60-second timeout was withdrawn


async def test_waiting_for_an_event_ends_at_the_timeout(virtual: VirtualTime):
    event = asyncio.Event()
    started = virtual.clock.monotonic()
    await wait_for_event(event, 1.5, virtual)
    assert virtual.clock.monotonic() - started == 1.5
    assert not event.is_set()


async def test_an_event_already_set_does_not_wait(virtual: VirtualTime):
    event = asyncio.Event()
    event.set()
    await wait_for_event(event, 5.0, virtual)
    assert virtual.pending() == 0


async def test_virtual_timers_fire_in_deadline_order_and_move_the_clock(virtual: VirtualTime):
    fired: list[tuple[str, float]] = []
    now = virtual.clock.monotonic
    start = now()
    wall = virtual.clock.now()

    def record(label: str) -> Callable[[], None]:
        return lambda: fired.append((label, now()))

    for label, delay in (("late", 3.0), ("early", 1.0), ("middle", 2.0)):
        virtual.call_later(delay, record(label))
    await virtual.sleep(5.0)
    assert [(label, at - start) for label, at in fired] == [
        ("early", 1.0),
        ("middle", 2.0),
        ("late", 3.0),
    ]
    assert virtual.clock.now() - wall == timedelta(seconds=5)  # the wall clock moved too


async def test_concurrent_sleepers_share_the_time_rather_than_add_it_up(virtual: VirtualTime):
    start = virtual.clock.monotonic()
    await asyncio.gather(virtual.sleep(1.0), virtual.sleep(1.0), virtual.sleep(0.5))
    assert virtual.clock.monotonic() - start == 1.0


async def test_a_held_clock_stands_still(virtual: VirtualTime):
    start = virtual.clock.monotonic()
    sleeper = asyncio.ensure_future(virtual.sleep(1.0))
    with virtual.held():
        await asyncio.sleep(0.02)
        assert virtual.clock.monotonic() == start and not sleeper.done()
    await sleeper
    assert virtual.clock.monotonic() - start == 1.0
