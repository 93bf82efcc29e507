"""Whose turn it is: the queue of calls waiting for the budget, and the task that grants them.

A free token goes to the best waiting call (lowest `Priority`, then first come). A call
whose own chat must still wait is parked until then, so it does not hold up calls to
other chats. One dispatcher task grants every turn that came due while it slept, then
sleeps on the injected `Timer` until the budget allows the next one or it is poked.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.telegram.budget import Budget
from bot.telegram.timers import Cancellable, Timer

logger = logging.getLogger(__name__)

# The dispatcher grants every token that came due while it slept: sleeping at least this
# long costs a reply at most a few milliseconds and saves thousands of wake-ups a second.
MIN_SLEEP = 0.002


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    chat: int | None = field(compare=False)
    future: asyncio.Future[None] = field(compare=False)


class Turns:
    """Hands out the budget's tokens to waiting calls, best priority first."""

    def __init__(self, budget: Budget, clock: Clock, timer: Timer) -> None:
        self._budget = budget
        self._clock = clock
        self._timer = timer
        self._ready: list[_Waiter] = []
        self._parked: list[tuple[float, int, _Waiter]] = []
        self._seq = itertools.count()
        self._wakeup: asyncio.Future[None] | None = None
        self._dispatcher: asyncio.Task[None] | None = None

    def best_waiting(self) -> int | None:
        """The priority of the best call waiting for a token (None: none waits)."""
        return self._ready[0].priority if self._ready else None

    async def take(self, priority: int, chat: int | None, deadline: float | None = None) -> None:
        """Return once the call has its tokens; TimeoutError if `deadline` passes first."""
        now = self._clock.monotonic()
        best_waiting = self.best_waiting()
        first = best_waiting is None or priority < best_waiting
        budget = self._budget
        if first and budget.chat_wait(chat, now) <= 0 and budget.try_take(priority, chat, now) == 0:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._ready, _Waiter(priority, next(self._seq), chat, future))
        self.start()
        self._poke()
        if deadline is None:
            await future
            return

        def expire() -> None:
            # Granted at the last moment: the call keeps its turn. Otherwise the
            # dispatcher skips the finished future.
            if not future.done():
                future.set_exception(TimeoutError())

        handle = self._timer.call_later(max(0.0, deadline - now), expire)
        try:
            await future
        finally:
            handle.cancel()

    def start(self) -> None:
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.get_running_loop().create_task(
                self._dispatch(), name="telegram-governor"
            )

    async def stop(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None

    def _poke(self) -> None:
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    async def _sleep(self, seconds: float | None) -> None:
        self._wakeup = asyncio.get_running_loop().create_future()
        handle: Cancellable | None = None
        if seconds is not None:
            handle = self._timer.call_later(max(seconds, MIN_SLEEP), self._poke)
        try:
            await self._wakeup
        finally:
            if handle is not None:
                handle.cancel()
            self._wakeup = None

    async def _dispatch(self) -> None:
        while True:
            try:
                await self._sleep(self._grant())
            except asyncio.CancelledError:
                raise
            except Exception:  # the governor must outlive any bug in one grant
                logger.exception("governor step failed")
                await self._timer.sleep(0.1)

    def _grant(self) -> float | None:
        """Hand out every turn that is due; returns how long to sleep (None: until poked)."""
        now = self._clock.monotonic()
        while self._parked and self._parked[0][0] <= now:
            _, _, waiter = heapq.heappop(self._parked)
            heapq.heappush(self._ready, waiter)
        while self._ready:
            waiter = self._ready[0]
            if waiter.future.done():
                heapq.heappop(self._ready)
                continue
            chat_wait = self._budget.chat_wait(waiter.chat, now)
            if chat_wait > 0:
                heapq.heappop(self._ready)
                heapq.heappush(self._parked, (now + chat_wait, waiter.seq, waiter))
                continue
            wait = self._budget.try_take(waiter.priority, waiter.chat, now)
            if wait > 0:
                return self._earliest(wait, now)
            heapq.heappop(self._ready)
            waiter.future.set_result(None)
        return self._earliest(None, now)

    def _earliest(self, wait: float | None, now: float) -> float | None:
        if self._parked:
            parked = self._parked[0][0] - now
            wait = parked if wait is None else min(wait, parked)
        return wait
