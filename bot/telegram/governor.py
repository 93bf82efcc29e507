"""The one governor every Bot API call passes: Telegram's budget, and who goes first.

It is python-telegram-bot's rate limiter (`ApplicationBuilder.rate_limiter`), so it sees
every call the bot makes — handler replies, button answers, edits, files, start-up's
`setMyCommands`, the outbox worker's pushes, the broadcast progress edits — and no
handler can go around it. The reply held for a webhook response is admitted by it too
(`admit_now`), and sent through it if it cannot ride in the response after all.

This module is the adapter PTB calls; the parts live beside it:

- **Budget** (`budget.py`): the global, per-chat and per-group token buckets, the windows
  a 429 closed, the reserve pushes leave for replies, and `Priority`/`Push`.
- **Turns** (`turns.py`): a free token goes to the best waiting call — a reply to a person
  who is waiting, then urgent notices, programme changes, reminders, and bulk
  (broadcasts, digests); the broadcast still gets every token the replies do not use.
- **Replies** (`replies.py`): retried while that cannot make a duplicate, given up after
  `REPLY_DEADLINE` and counted as lost.

**429.** Telegram does not name the scope it closed, so the chat waits out `retry_after`
and so does the whole bot: the governor's per-chat pacing is stricter than Telegram's, so
a 429 nearly always means the bot-wide budget ran out, and any call inside that window
would be punished. Nothing is sent into a closed window. A reply is then retried, until it
succeeds or its deadline passes; a push goes back to the outbox worker, which keeps its row.

It reads the time on a `Clock` and waits on a `Timer` (both injected, the system's by
default), so its tests run on a settable clock instead of sleeping.
"""

from __future__ import annotations

from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.clock import Clock, SystemClock
from bot.telegram.budget import (
    COUNTED,
    GROUP_BURST,
    GROUP_PER_MINUTE,
    PER_CHAT_BURST,
    PER_CHAT_RATE,
    Budget,
    Counted,
    GovernorStats,
    Priority,
    Push,
)
from bot.telegram.replies import ApiResult, Callback, OnLost, Replies, retry_seconds
from bot.telegram.timers import LoopTimer, Timer
from bot.telegram.turns import Turns
from bot.telegram.webhook_slot import take_held

__all__ = ["REPLY_DEADLINE", "Governor", "GovernorStats", "Priority", "Push"]

# A reply still not sent after this many seconds is given up and counted as lost.
REPLY_DEADLINE = 60.0


class Governor(BaseRateLimiter[Push]):
    """Paces and orders every counted Bot API call within one budget."""

    def __init__(
        self,
        rate: float,
        *,
        per_chat_rate: float = PER_CHAT_RATE,
        per_chat_burst: float = PER_CHAT_BURST,
        group_per_minute: float = GROUP_PER_MINUTE,
        group_burst: float = GROUP_BURST,
        reply_deadline: float = REPLY_DEADLINE,
        clock: Clock | None = None,
        timer: Timer | None = None,
    ) -> None:
        self.rate = rate
        # The delivery worker parks rows until this clock says their chat is free.
        self.clock: Clock = clock or SystemClock()
        self.timer: Timer = timer or LoopTimer()
        self.stats = GovernorStats()
        self._budget = Budget(
            rate,
            self.clock.monotonic(),
            self.stats,
            per_chat_rate=per_chat_rate,
            per_chat_burst=per_chat_burst,
            group_per_minute=group_per_minute,
            group_burst=group_burst,
        )
        self._turns = Turns(self._budget, self.clock, self.timer)
        self._replies = Replies(
            self._turns, self._budget, self.stats, self.clock, self.timer, reply_deadline
        )

    @property
    def on_lost(self) -> OnLost | None:
        """Called with (method, reason) for every reply given up, e.g. to record it."""
        return self._replies.on_lost

    @on_lost.setter
    def on_lost(self, callback: OnLost | None) -> None:
        self._replies.on_lost = callback

    # ------------------------------------------------------------ PTB's interface

    async def initialize(self) -> None:
        self._turns.start()

    async def shutdown(self) -> None:
        await self._turns.stop()

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Push | None,
    ) -> ApiResult:
        held = take_held()
        if held is not None:
            # The reply held for the webhook response must reach the person before
            # whatever this update sends next: it goes now, already paid for.
            await self._replies.send_held(callback, held)
        counted = COUNTED.get(endpoint)
        if counted is None:
            return await callback(*args, **kwargs)
        chat = _chat_id(data) if counted is Counted.CHAT else None
        if rate_limit_args is not None:
            return await self._push(callback, args, kwargs, rate_limit_args, chat)
        return await self._replies.send(callback, args, kwargs, endpoint, chat)

    # ------------------------------------------------------------ what callers ask

    def chat_ready_at(self, chat_id: int) -> float:
        """When the next message to this chat may go, on the governor's monotonic clock."""
        return self._budget.ready_at(chat_id, self.clock.monotonic())

    def admit_now(self, chat_id: int) -> bool:
        """Take a reply's tokens now if they are free, for a reply that will travel in the
        webhook response; False means it must be sent through the API instead."""
        best_waiting = self._turns.best_waiting()
        if best_waiting is not None and best_waiting <= Priority.REPLY:
            return False
        return self._budget.admit(chat_id, self.clock.monotonic())

    # ------------------------------------------------------------ pushes

    async def _push(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], push: Push, chat: int | None
    ) -> ApiResult:
        await self._turns.take(push.priority, chat)
        if push.on_turn is not None:
            push.on_turn()
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            seconds = retry_seconds(exc.retry_after)
            self._budget.throttled(chat, seconds, self.clock.monotonic())
            raise


def _chat_id(data: dict[str, Any]) -> int | None:
    value = data.get("chat_id")
    if isinstance(value, int):
        return value
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None  # an @channel username: only the global budget applies
