"""How fast the bot may send: the global rate, per-chat spacing, and pauses after 429.

python-telegram-bot's `AIORateLimiter` stops *every* request for the whole `retry_after`
whenever any one request gets a 429. Telegram's flood limits are mostly per chat, so this
pacer pauses only the chat that was told to wait, and treats a 429 as a sign of a global
flood only when several different chats get one within a second: then everything pauses
and the rate steps down by a tenth, creeping back up while sending stays clean.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

Clock = Callable[[], float]

# Telegram asks for no more than about one message a second in one private chat.
PER_CHAT_INTERVAL = 1.0
# After a stall the pacer may catch up this much time's worth of sends at once.
CATCH_UP = 0.1
# This many 429s from different chats within FLOOD_WINDOW seconds mean a global flood.
FLOOD_CHATS = 3
FLOOD_WINDOW = 1.0
SLOWEST_FACTOR = 0.5
RECOVERY_STEP = 0.02
RECOVERY_EVERY = 5.0


class Pacer:
    def __init__(
        self,
        rate: float,
        *,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        clock: Clock = time.monotonic,
    ) -> None:
        self.configured_rate = rate
        self.factor = 1.0
        self.per_chat_interval = per_chat_interval
        self._clock = clock
        self._next_slot = clock()
        self._paused_until = 0.0
        self._chat_ready: dict[int, float] = {}
        self._recent_429: deque[tuple[float, int]] = deque()
        self._last_recovery = clock()
        self.throttled = 0
        self.global_pauses = 0

    @property
    def rate(self) -> float:
        return self.configured_rate * self.factor

    def chat_ready_at(self, chat_id: int) -> float:
        """When the next message to this chat may go (0 = now)."""
        return self._chat_ready.get(chat_id, 0.0)

    def reserve(self) -> float:
        """Take the next global send slot; returns how long to wait for it."""
        now = self._clock()
        self._recover(now)
        slot = max(self._next_slot, now - CATCH_UP, self._paused_until)
        self._next_slot = slot + 1.0 / self.rate
        return max(0.0, slot - now)

    async def acquire(self) -> None:
        """Wait for the next global send slot."""
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)

    def note_sent(self, chat_id: int) -> None:
        self._chat_ready[chat_id] = self._clock() + self.per_chat_interval
        if len(self._chat_ready) > 50_000:
            self._forget_old()

    def throttle(self, chat_id: int, retry_after: float) -> None:
        """Telegram answered 429 for this chat: pause it, and maybe everything."""
        now = self._clock()
        self.throttled += 1
        self._chat_ready[chat_id] = max(self.chat_ready_at(chat_id), now + retry_after)
        self._recent_429.append((now, chat_id))
        while self._recent_429 and self._recent_429[0][0] < now - FLOOD_WINDOW:
            self._recent_429.popleft()
        chats = {chat for _, chat in self._recent_429}
        if len(chats) >= FLOOD_CHATS and self._paused_until < now:
            self.global_pauses += 1
            self._paused_until = now + retry_after
            self.factor = max(SLOWEST_FACTOR, self.factor * 0.9)
            self._recent_429.clear()

    def _recover(self, now: float) -> None:
        if self.factor < 1.0 and now - self._last_recovery >= RECOVERY_EVERY:
            self.factor = min(1.0, self.factor + RECOVERY_STEP)
            self._last_recovery = now

    def _forget_old(self) -> None:
        now = self._clock()
        self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}
