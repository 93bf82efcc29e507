"""Telegram's flood control: token buckets, 429 windows, and the calls that broke one.

Telegram documents its flood limits only roughly (about 30 messages a second overall,
about one a second per private chat with short bursts allowed, 20 a minute per group),
so the emulator models each as a token bucket and answers with the number of whole
seconds until a token is free, which is what ``parameters.retry_after`` means.

A 429 closes its scope — that one chat, or the whole bot when the global bucket was the
empty one — for the ``retry_after`` whole seconds. Telegram punishes a bot that keeps
calling inside that window, so every call made inside one is refused again and recorded
as a `Violation`; the end-to-end tests fail on any. The one exception: a call arriving
within `IN_FLIGHT` seconds of the 429 is refused but not recorded, as it was already on
its way (the bot had not yet read the 429, or this emulator, sharing a busy machine,
read several requests late and all at once).

Which calls count (the emulator's model; the bot's governor keeps its own table):

- messages in a chat (``sendMessage``, ``sendDocument``, ``editMessageText``,
  ``editMessageReplyMarkup``, and ``sendPhoto``/``sendLocation``/``sendVenue`` once the
  emulator implements them) take a token from the global bucket and from that chat's;
- calls that put nothing into a chat (``answerCallbackQuery``, ``setMyCommands``,
  ``deleteMyCommands``, ``deleteMessage``, ``sendChatAction``) take a global token only;
- reads and set-up (``getMe``, ``getUpdates``, ``getFile``, ``setWebhook``, …) are free.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]

CHAT_COUNTED = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendLocation",
        "sendVenue",
        "editMessageText",
        "editMessageReplyMarkup",
    }
)
GLOBAL_COUNTED = frozenset(
    {"answerCallbackQuery", "setMyCommands", "deleteMyCommands", "deleteMessage", "sendChatAction"}
)

GLOBAL = "global"
IN_FLIGHT = 0.05


@dataclass(frozen=True)
class RateLimits:
    """Flood limits; ``None`` switches a limit off.

    The defaults are strict, as the tests use them: 30 messages a second for the bot with
    a burst of only 10 (never more than one second's worth), one a second per private chat
    with a burst of ``per_chat_burst``, and 20 a minute per group (the whole minute's
    allowance available as a burst). `lenient` is for benchmarks that measure the bot
    rather than Telegram.
    """

    global_per_second: float | None = 30
    per_chat_per_second: float | None = 1
    per_chat_burst: int = 4
    group_per_minute: float | None = 20
    global_burst: float = 10

    @classmethod
    def lenient(cls, global_per_second: float | None = None) -> RateLimits:
        """A second's worth of burst globally, three messages per chat: a bot is measured
        against its configured rate, not against the tightest reading of Telegram's."""
        return cls(
            global_per_second=global_per_second,
            per_chat_per_second=1,
            per_chat_burst=3,
            global_burst=global_per_second or 1,
        )


@dataclass(frozen=True)
class Violation:
    """A call made while its scope was closed by an earlier 429."""

    at: float
    method: str
    chat_id: int | None
    scope: str  # "global" or "chat"
    seconds_left: float


class TokenBucket:
    """``capacity`` tokens, refilled continuously at ``rate`` tokens per second."""

    def __init__(self, rate: float, capacity: float, clock: Clock = time.monotonic) -> None:
        if rate <= 0 or capacity < 1:
            raise ValueError("a bucket needs a positive rate and room for at least one token")
        self.rate = rate
        self.capacity = capacity
        self._clock = clock
        self._tokens = capacity
        self._updated = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def wait_time(self) -> float:
        """Seconds until a token is available (0.0 if one is available now)."""
        self._refill()
        if self._tokens >= 1:
            return 0.0
        return (1 - self._tokens) / self.rate

    def take(self) -> None:
        """Consumes a token; call only after ``wait_time()`` returned 0."""
        self._refill()
        self._tokens -= 1


def retry_after_seconds(wait: float) -> int:
    """Telegram's retry_after is a whole number of seconds, never below one."""
    return max(1, math.ceil(wait))


class RateLimiter:
    """Holds the buckets and the 429 windows for one bot: one global, one per chat.

    A request must find a token in every bucket that applies to it; if any is empty
    nothing is consumed, so a rejected request does not eat into the next allowance.
    """

    def __init__(self, limits: RateLimits, clock: Clock = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        rate = limits.global_per_second
        burst = None if rate is None else min(limits.global_burst, max(1.0, rate))
        self._global = self._bucket(rate, burst)
        self._chats: dict[int, TokenBucket | None] = {}
        self._global_closed_until = 0.0
        self._global_closed_at = 0.0
        self._chat_closed_until: dict[int, float] = {}
        self._chat_closed_at: dict[int, float] = {}
        self.violations: list[Violation] = []

    def _bucket(self, rate: float | None, capacity: float | None) -> TokenBucket | None:
        if rate is None:
            return None
        return TokenBucket(rate, max(1.0, capacity or 1.0), self._clock)

    def _chat_bucket(self, chat_id: int, is_group: bool) -> TokenBucket | None:
        if chat_id not in self._chats:
            if is_group:
                per_minute = self.limits.group_per_minute
                rate = None if per_minute is None else per_minute / 60
                self._chats[chat_id] = self._bucket(rate, per_minute)
            else:
                self._chats[chat_id] = self._bucket(
                    self.limits.per_chat_per_second, self.limits.per_chat_burst
                )
        return self._chats[chat_id]

    def acquire(self, chat_id: int | None, is_group: bool = False, method: str = "") -> int | None:
        """Takes a token for a call (to ``chat_id``, or bot-wide if None); returns
        retry_after if flooded. A call inside a closed window is also a `Violation`."""
        now = self._clock()
        closed = self._closed(now, chat_id)
        if closed is not None:
            scope, until, since = closed
            if now - since > IN_FLIGHT:
                self.violations.append(Violation(now, method, chat_id, scope, until - now))
            return retry_after_seconds(until - now)
        chat_bucket = None if chat_id is None else self._chat_bucket(chat_id, is_group)
        global_wait = self._global.wait_time() if self._global else 0.0
        chat_wait = chat_bucket.wait_time() if chat_bucket else 0.0
        if global_wait > 0:
            seconds = retry_after_seconds(global_wait)
            self._global_closed_until = now + seconds
            self._global_closed_at = now
            return seconds
        if chat_wait > 0:
            assert chat_id is not None
            seconds = retry_after_seconds(chat_wait)
            self._chat_closed_until[chat_id] = now + seconds
            self._chat_closed_at[chat_id] = now
            return seconds
        for bucket in (self._global, chat_bucket):
            if bucket is not None:
                bucket.take()
        return None

    def _closed(self, now: float, chat_id: int | None) -> tuple[str, float, float] | None:
        """The closed scope this call falls in: (scope, closed until, closed since)."""
        if now < self._global_closed_until:
            return GLOBAL, self._global_closed_until, self._global_closed_at
        if chat_id is not None:
            until = self._chat_closed_until.get(chat_id, 0.0)
            if now < until:
                return "chat", until, self._chat_closed_at[chat_id]
            if until:
                del self._chat_closed_until[chat_id]
                del self._chat_closed_at[chat_id]
        return None
