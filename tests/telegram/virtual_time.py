"""A `Timer` on a `SettableClock`: waiting moves the clock instead of the wall.

Timers fire in deadline order. Before moving the clock to the next deadline the driver
lets the event loop run for a real millisecond, so whatever the last timer set off
(coroutines, and the database's thread in the worker's tests) happens first, at the time
it belongs to. Work in other threads is not waited for: a test that must see it first
holds the clock (`held()`) meanwhile. A pacing test that spans seconds of Telegram's
windows then finishes in milliseconds and still sees the same windows, in the same order.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import SettableClock

# Real seconds the loop gets to settle before virtual time moves on.
SETTLE = 0.001


@dataclass(order=True)
class _Entry:
    deadline: float
    seq: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class VirtualTime:
    def __init__(self, clock: SettableClock) -> None:
        self.clock = clock
        self._entries: list[_Entry] = []
        self._seq = itertools.count()
        self._driver: asyncio.Task[None] | None = None
        self._holds = 0

    def call_later(self, delay: float, callback: Callable[[], None]) -> _Entry:
        entry = _Entry(self.clock.monotonic() + max(0.0, delay), next(self._seq), callback)
        heapq.heappush(self._entries, entry)
        if self._driver is None or self._driver.done():
            self._driver = asyncio.get_running_loop().create_task(self._drive())
        return entry

    async def sleep(self, delay: float) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def wake() -> None:
            if not done.done():
                done.set_result(None)

        entry = self.call_later(delay, wake)
        try:
            await done
        finally:
            entry.cancel()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Time stands still inside, whatever waits: for real work to catch up."""
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1

    def pending(self) -> int:
        return sum(not entry.cancelled for entry in self._entries)

    async def close(self) -> None:
        if self._driver is not None:
            self._driver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._driver

    async def _drive(self) -> None:
        # Ends when no timer is left; the next call_later starts it again.
        while True:
            await asyncio.sleep(SETTLE)
            if self._holds:
                continue
            while self._entries and self._entries[0].cancelled:
                heapq.heappop(self._entries)
            if not self._entries:
                return
            deadline = self._entries[0].deadline
            ahead = deadline - self.clock.monotonic()
            if ahead > 0:
                self.clock.advance(timedelta(seconds=ahead))
            # Every timer due at this moment fires now; later ones after the loop settled.
            while self._entries and self._entries[0].deadline <= deadline:
                entry = heapq.heappop(self._entries)
                if not entry.cancelled:
                    entry.callback()
