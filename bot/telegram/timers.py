"""Waiting, as the governor and the delivery worker do it, through one injectable `Timer`.

Their deadlines are read on a `Clock` (`bot.clock`); their waits go through a `Timer`, so
that a test can pair a settable clock with a timer that moves it instead of sleeping, and
a pacing test that spans seconds of Telegram's windows finishes in milliseconds. In the
bot the timer is the event loop's own (`LoopTimer`): exactly `loop.call_later` and
`asyncio.sleep`, nothing added.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class Timer(Protocol):
    def call_later(self, delay: float, callback: Callable[[], None]) -> Cancellable:
        """Call `callback` once `delay` seconds have passed, unless cancelled first."""
        ...

    async def sleep(self, delay: float) -> None:
        """Return once `delay` seconds have passed."""
        ...


class LoopTimer:
    """The running event loop's timers: what the bot uses."""

    def call_later(self, delay: float, callback: Callable[[], None]) -> Cancellable:
        return asyncio.get_running_loop().call_later(delay, callback)

    async def sleep(self, delay: float) -> None:
        await asyncio.sleep(delay)


async def wait_for_event(event: asyncio.Event, seconds: float, timer: Timer) -> None:
    """Return when `event` is set or `seconds` have passed on `timer`, whichever is first.

    `asyncio.wait_for(event.wait(), seconds)` without the TimeoutError (the timer may be a
    test's, which `asyncio.timeout` would not follow).
    """
    if event.is_set():
        return
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def finish(*_: object) -> None:
        if not done.done():
            done.set_result(None)

    waiter = asyncio.ensure_future(event.wait())
    waiter.add_done_callback(finish)
    handle = timer.call_later(seconds, finish)
    try:
        await done
    finally:
        handle.cancel()
        waiter.cancel()
