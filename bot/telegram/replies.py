"""Replies to people: retried while that cannot make a duplicate, else given up and counted.

A reply is sent again after an error only when the first attempt demonstrably did not
take effect: Telegram answered 5xx, or the request never fully left (no connection, pool
or connect timeout, write timeout). After a read timeout or a dropped connection the
request may have been executed, so it is *not* repeated — a duplicate answer is worse
than a missing one the person can ask again. After a 429 it waits out the window. A reply
still not sent by its deadline is given up, logged with its reason (never its text) and
counted (`stats.replies_lost`, `on_lost`, shown by /stats and `summitbot status`).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.clock import Clock
from bot.telegram.budget import Budget, GovernorStats, Priority
from bot.telegram.timers import Timer
from bot.telegram.turns import Turns

logger = logging.getLogger(__name__)

ApiResult = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, ApiResult]]
# Called with (method, reason) for every reply given up, e.g. to record it.
OnLost = Callable[[str, str], None]


class Replies:
    """Sends one reply through the turns, retrying as far as is safe, until a deadline."""

    def __init__(
        self,
        turns: Turns,
        budget: Budget,
        stats: GovernorStats,
        clock: Clock,
        timer: Timer,
        deadline: float,
    ) -> None:
        self._turns = turns
        self._budget = budget
        self._stats = stats
        self._clock = clock
        self._timer = timer
        self.deadline = deadline
        self.on_lost: OnLost | None = None

    async def send(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        chat: int | None,
        *,
        paid: bool = False,
    ) -> ApiResult:
        deadline = self._clock.monotonic() + self.deadline
        attempts = 0
        while True:
            if not paid:
                try:
                    await self._turns.take(Priority.REPLY, chat, deadline)
                except TimeoutError:
                    self.lose(endpoint, chat, "no turn within the deadline")
                    raise
            paid = False
            attempts += 1
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_seconds(exc.retry_after)
                self._budget.throttled(chat, seconds, self._clock.monotonic())
                if self._clock.monotonic() + seconds > deadline:
                    self.lose(endpoint, chat, f"429, retry after {seconds:g} s, past deadline")
                    raise
            except BadRequest:
                raise  # a 400 is the caller's to handle (PTB makes BadRequest a NetworkError)
            except NetworkError as exc:
                if not never_executed(exc):
                    self.lose(endpoint, chat, f"{reason(exc)}; not repeated (may have arrived)")
                    raise
                pause = min(8.0, 0.5 * 2 ** (attempts - 1)) * random.uniform(0.8, 1.2)
                if self._clock.monotonic() + pause > deadline:
                    self.lose(endpoint, chat, f"{reason(exc)}, past deadline")
                    raise
                logger.info("reply %s to chat %s: %s; trying again", endpoint, chat, reason(exc))
                await self._timer.sleep(pause)
            self._stats.replies_retried += 1

    async def send_held(self, callback: Callback, held: dict[str, Any]) -> None:
        """Send the reply that was held for a webhook response; its tokens are paid."""
        method = held.pop("method")
        chat = held.get("chat_id")
        try:
            await self.send(
                callback,
                (method, held),
                {},
                method,
                chat if isinstance(chat, int) else None,
                paid=True,
            )
        except Exception as exc:
            # Already counted as lost; the call that flushed it must still go.
            logger.warning("held %s could not be sent: %s", method, reason(exc))

    def lose(self, endpoint: str, chat: int | None, why: str) -> None:
        self._stats.replies_lost += 1
        logger.warning("reply %s to chat %s lost: %s", endpoint, chat, why)
        if self.on_lost is not None:
            try:
                self.on_lost(endpoint, why)
            except Exception:
                logger.exception("could not record a lost reply")


def retry_seconds(value: object) -> float:
    """`RetryAfter.retry_after` in seconds (PTB gives an int or a timedelta)."""
    seconds = getattr(value, "total_seconds", None)
    return float(seconds()) if callable(seconds) else float(value)  # type: ignore[arg-type]


# Failures in which the request never fully reached Telegram.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout)


def never_executed(exc: NetworkError) -> bool:
    """True when resending cannot make a duplicate: Telegram answered with an error
    (5xx), or the request never fully left. Not after a read timeout or a lost
    connection: Telegram may have executed it."""
    cause = exc.__cause__
    if isinstance(exc, TimedOut):
        return isinstance(cause, _NOT_SENT) or "Pool timeout" in str(exc)
    if cause is None:
        return True  # an HTTP answer from Telegram (502, 500 …): it did not execute it
    return isinstance(cause, _NOT_SENT)


def reason(exc: BaseException) -> str:
    """The error's kind and Telegram's description (never the message text)."""
    return f"{type(exc).__name__}: {exc}"[:200]
