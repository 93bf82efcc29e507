"""What refuses a request that is otherwise valid: Telegram's 429s and injected faults.

``bot.sandbox.ratelimit`` is the flood model (token buckets, the windows a 429 closes,
the calls that broke one); ``FloodControl`` asks it for a token as a method is about to
take effect and turns a refusal into Telegram's "Too Many Requests: retry after N". For
methods that put something into a chat it then rolls the ``Faults`` dice: a 5xx that
delivers nothing, or a slow answer that delivers but holds the response back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.sandbox.errors import ApiError
from bot.sandbox.ratelimit import RateLimiter, RateLimits, Violation

if TYPE_CHECKING:
    from bot.sandbox.chats import ChatState

FAULT_DESCRIPTIONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Faults:
    """Failure injection for sending and editing methods.

    With probability ``error_rate`` a request is answered with one of ``error_codes``
    (500 "Internal Server Error", 502 "Bad Gateway") and NOT delivered; with probability
    ``slow_rate`` it is delivered but the response is held back ``slow_seconds``, the way a
    slow network makes a client time out on a message that did arrive.
    """

    error_rate: float = 0.0
    error_codes: tuple[int, ...] = (500, 502)
    slow_rate: float = 0.0
    slow_seconds: float = 0.0
    seed: int = 0


class FloodControl:
    """The flood limits and the faults in force, and the checks every method goes through."""

    def __init__(self, rate_limits: RateLimits, faults: Faults) -> None:
        self.rate_limits = rate_limits
        self.faults = faults
        self._limiter = RateLimiter(rate_limits)
        self._rng = random.Random(faults.seed)

    def configure(self, *, limits: RateLimits | None = None, faults: Faults | None = None) -> None:
        """New limits start with full buckets, but the violations so far stay on record for
        the tests to see; new faults restart their random sequence from the seed."""
        if limits is not None:
            violations = self._limiter.violations
            self.rate_limits, self._limiter = limits, RateLimiter(limits)
            self._limiter.violations = violations
        if faults is not None:
            self.faults, self._rng = faults, random.Random(faults.seed)

    @property
    def violations(self) -> list[Violation]:
        return self._limiter.violations

    def check(self, method: str, chat: ChatState | None = None) -> None:
        """429 when the call finds no token, or lands inside a window a 429 closed."""
        if chat is None:
            retry_after = self._limiter.acquire(None, method=method)
        else:
            retry_after = self._limiter.acquire(chat.chat_id, chat.is_group, method)
        if retry_after is not None:
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    def check_with_faults(self, chat: ChatState, method: str) -> float:
        """429s, then injected failures; returns how long to hold back the response."""
        self.check(method, chat)
        faults = self.faults
        if faults.error_rate and self._rng.random() < faults.error_rate:
            code = self._rng.choice(faults.error_codes)
            raise ApiError(code, FAULT_DESCRIPTIONS.get(code, "Internal Server Error"))
        if faults.slow_rate and self._rng.random() < faults.slow_rate:
            return faults.slow_seconds
        return 0.0
