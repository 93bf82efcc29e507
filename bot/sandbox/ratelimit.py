"""Token buckets that produce Telegram's 429 "Too Many Requests: retry after N".

Telegram documents its flood limits only roughly (about 30 messages a second overall,
about one a second per private chat with short bursts allowed, 20 a minute per group),
so the emulator models each as a token bucket and answers with the number of whole
seconds until a token is free, which is what ``parameters.retry_after`` means.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(frozen=True)
class RateLimits:
    """Flood limits; ``None`` switches a limit off.

    ``per_chat_per_second`` applies to private chats, with ``per_chat_burst`` messages
    allowed back to back; ``group_per_minute`` applies to groups and supergroups (with
    the whole minute's allowance available as a burst); ``global_per_second`` to the bot.
    """

    global_per_second: float | None = None
    per_chat_per_second: float | None = None
    per_chat_burst: int = 3
    group_per_minute: float | None = 20


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
    """Holds the buckets for one bot: one global, one per chat.

    A request must find a token in every bucket that applies to it; if any is empty
    nothing is consumed, so a rejected request does not eat into the next allowance.
    """

    def __init__(self, limits: RateLimits, clock: Clock = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._global = self._bucket(limits.global_per_second, limits.global_per_second)
        self._chats: dict[int, TokenBucket | None] = {}

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

    def acquire(self, chat_id: int, is_group: bool) -> int | None:
        """Takes a token for a message to ``chat_id``; returns retry_after if flooded."""
        buckets = [b for b in (self._global, self._chat_bucket(chat_id, is_group)) if b]
        wait = max((b.wait_time() for b in buckets), default=0.0)
        if wait > 0:
            return retry_after_seconds(wait)
        for bucket in buckets:
            bucket.take()
        return None
