"""The one delivery worker: claims outbox rows and sends them as fast as Telegram allows.

Rows are claimed in priority order (urgent, change, reminder, bulk) into memory and
submitted with their priority to the `Governor` (python-telegram-bot's rate limiter),
which paces them within the one budget every call shares, behind replies to people.
Their outcomes are written back in batches every FLUSH_EVERY seconds: a commit per
message would cost more than the send at 1,000 messages a second.
The price is bounded: after a SIGKILL, rows sent but not yet recorded are sent again on
restart — at most the in-flight requests plus one flush interval's worth.

It runs on the governor's clock and timer: it parks a row until the governor says its
chat is free, so both must read the same time (and a test can set it).
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.storage.outbox import OutboxStore, Outcome, Queued, State
from bot.telegram.governor import Governor, Push
from bot.telegram.replies import retry_seconds
from bot.telegram.timers import wait_for_event

logger = logging.getLogger(__name__)

FLUSH_EVERY = 0.1
MAX_ATTEMPTS = 12
MAX_BACKOFF = 60.0
IDLE_POLL = 1.0

SendMessage = Callable[..., Awaitable[object]]


def backoff(attempts: int) -> float:
    """Exponential backoff with jitter: about 1, 2, 4 … seconds, capped at a minute."""
    return float(min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1)) * random.uniform(0.5, 1.5))


def in_flight_limit(rate: float) -> int:
    """Concurrent requests: enough for the rate at ~50 ms a request, at most 64.

    Telegram's latency from a venue server is tens of milliseconds; 64 requests in flight
    sustain 1,000 messages a second up to ~60 ms. More would only cost memory.
    """
    return max(4, min(64, int(rate * 0.05) + 4))


@dataclass(order=True)
class _Item:
    priority: int
    id: int
    row: Queued = field(compare=False)


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    recovered: int = 0


class DeliveryWorker:
    def __init__(
        self,
        outbox: OutboxStore,
        send_message: SendMessage,
        governor: Governor,
        on_sent: Callable[[], None] | None = None,
    ) -> None:
        """`send_message` must pass through `governor` (it is the bot's rate limiter)."""
        self.outbox = outbox
        self.send_message = send_message
        self.governor = governor
        rate = governor.rate
        self.clock = governor.clock
        self.timer = governor.timer
        self.stats = DeliveryStats()
        self._on_sent = on_sent
        self._ready: list[_Item] = []
        self._parked: list[tuple[float, _Item]] = []
        self._outcomes: list[Outcome] = []
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._in_flight: dict[asyncio.Task[None], _Item] = {}
        # Rows whose request got its turn from the governor: from then on it may reach
        # Telegram, so stopping lets it finish rather than cancel it.
        self._started: set[int] = set()
        self._withdrawn: list[_Item] = []
        self._limit = asyncio.Semaphore(in_flight_limit(rate))
        self._batch = max(50, int(rate * 0.5))
        # The priority of the last row a full claim took: rows of that priority or better
        # may still wait in the database, and must be claimed before anything worse goes.
        self._saturated: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._flusher: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """New rows were committed: look for them now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        self.stats.recovered = await self.outbox.recover()
        if self.stats.recovered:
            logger.warning(
                "%d message(s) were being sent when the bot stopped; sending them again",
                self.stats.recovered,
            )
        self._task = asyncio.create_task(self._run(), name="delivery-worker")
        self._flusher = asyncio.create_task(self._flush_loop(), name="delivery-flush")

    async def stop(self) -> None:
        """Finish what is in flight, record it, and leave the rest waiting in the outbox."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            await self._task
        for task, item in list(self._in_flight.items()):
            if item.row.id not in self._started:
                task.cancel()  # still waiting for its turn: nothing was sent
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        if self._flusher is not None:
            await self._flusher  # it sees _stopping and ends after its current write
        await self._flush()
        unsent = [item.row.id for item in self._ready] + [item.row.id for _, item in self._parked]
        unsent += [item.row.id for item in self._withdrawn]
        await self.outbox.record(
            [
                Outcome(i, State.WAITING, self.clock.time(), retry_at=self.clock.time())
                for i in unsent
            ]
        )
        self._ready.clear()
        self._parked.clear()
        self._withdrawn.clear()

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._step()
            except Exception:
                # The worker must outlive any one bad row or database hiccup.
                logger.exception("delivery worker step failed; continuing in a second")
                await self.timer.sleep(1.0)

    async def _step(self) -> None:
        self._unpark()
        if self._needs_refill():
            await self._refill()
        if not self._ready:
            await self._idle()
            return
        item = heapq.heappop(self._ready)
        # A chat that must wait does not hold one of the requests in flight meanwhile.
        ready_at = self.governor.chat_ready_at(item.row.chat_id)
        if ready_at > self.clock.monotonic():
            heapq.heappush(self._parked, (ready_at, item))
            return
        await self._limit.acquire()
        task = asyncio.create_task(self._send(item))
        self._in_flight[task] = item
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        item = self._in_flight.pop(task)
        self._started.discard(item.row.id)

    def _needs_refill(self) -> bool:
        if self._wake.is_set() or len(self._ready) < self._batch // 2:
            return True
        return self._saturated is not None and self._ready[0].priority > self._saturated

    async def _refill(self) -> None:
        self._wake.clear()
        limit = self._batch
        rows = await self.outbox.claim(limit, self.clock.time())
        self._saturated = rows[-1].priority if len(rows) == limit else None
        for row in rows:
            heapq.heappush(self._ready, _Item(row.priority, row.id, row))

    async def _idle(self) -> None:
        """Nothing ready: sleep until woken, a parked chat frees up, or a retry falls due."""
        wait = IDLE_POLL
        if self._parked:
            wait = min(wait, max(0.0, self._parked[0][0] - self.clock.monotonic()))
        next_due = await self.outbox.next_due()
        if next_due is not None:
            wait = min(wait, max(0.0, next_due - self.clock.time()))
        if wait <= 0:
            await asyncio.sleep(0)
            return
        await wait_for_event(self._wake, wait, self.timer)

    def _unpark(self) -> None:
        now = self.clock.monotonic()
        while self._parked and self._parked[0][0] <= now:
            _, item = heapq.heappop(self._parked)
            heapq.heappush(self._ready, item)

    async def _send(self, item: _Item) -> None:
        row = item.row
        try:
            message = await self.send_message(
                chat_id=row.chat_id,
                text=row.text,
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(row),
                disable_notification=row.silent,
                rate_limit_args=Push.of_outbox(row.priority, lambda: self._started.add(row.id)),
            )
            self.stats.sent += 1
            self._outcomes.append(
                Outcome(
                    row.id,
                    State.SENT,
                    self.clock.time(),
                    message_id=getattr(message, "message_id", None),
                )
            )
            if self._on_sent is not None:
                self._on_sent()
        except RetryAfter as exc:
            # The governor closed the window; the row, still claimed, waits in memory
            # for it to open, not in the database.
            ready_at = max(
                self.governor.chat_ready_at(row.chat_id),
                self.clock.monotonic() + retry_seconds(exc.retry_after),
            )
            heapq.heappush(self._parked, (ready_at, item))
            self._wake.set()
        except Forbidden as exc:
            self.stats.unreachable += 1
            self._outcomes.append(
                Outcome(row.id, State.UNREACHABLE, self.clock.time(), error=str(exc))
            )
            await self.outbox.mark_unreachable(row.chat_id, str(exc))
        except BadRequest as exc:
            self.stats.failed += 1
            logger.warning("outbox message %d refused by Telegram: %s", row.id, exc)
            self._outcomes.append(Outcome(row.id, State.FAILED, self.clock.time(), error=str(exc)))
        except (NetworkError, TelegramError) as exc:
            self._retry_later(row, str(exc) or type(exc).__name__)
        except asyncio.CancelledError:
            self._withdrawn.append(item)
            raise
        finally:
            self._limit.release()

    def _retry_later(self, row: Queued, error: str) -> None:
        attempts = row.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self.stats.failed += 1
            self._outcomes.append(Outcome(row.id, State.FAILED, self.clock.time(), error=error))
            return
        self.stats.retried += 1
        retry_at = self.clock.time() + backoff(attempts)
        self._outcomes.append(
            Outcome(row.id, State.WAITING, self.clock.time(), error=error, retry_at=retry_at)
        )

    async def _flush_loop(self) -> None:
        while not self._stopping.is_set():
            await wait_for_event(self._stopping, FLUSH_EVERY, self.timer)
            try:
                await self._flush()
            except Exception:
                logger.exception("could not record delivery outcomes; will try again")

    async def _flush(self) -> None:
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        try:
            await self.outbox.record(outcomes)
        except BaseException:
            self._outcomes[:0] = outcomes
            raise
        if any(o.state is State.WAITING for o in outcomes):
            self._wake.set()


def _markup(row: Queued) -> InlineKeyboardMarkup | None:
    if not row.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.data, url=b.url) for b in buttons]
            for buttons in row.buttons
        ]
    )
