"""Telegram's budget as the governor keeps it: token buckets, 429 windows, priorities.

One global token bucket at the configured `delivery.messages_per_second` (its burst only
a tenth of a second's worth, so the calls Telegram receives stay within a strict reading
of its limit), one bucket per private chat (one a second, a burst of three) and per group
(20 a minute). `COUNTED` says which methods take which tokens. Pushes leave a reserve in
the global bucket untouched, so a reply that arrives during a 3,000-recipient broadcast
finds a token at once instead of queueing behind it.

Everything here is arithmetic on the seconds it is given (`now`, from the governor's
clock): no waiting, no asyncio, so it is tested by numbers alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum, IntEnum

from bot.storage.outbox import Priority as OutboxPriority

logger = logging.getLogger(__name__)

# The global bucket holds at most this much time's worth of sends (and at least one).
GLOBAL_BURST_SECONDS = 0.1
# Pushes leave this many global tokens for replies.
REPLY_RESERVE = 1.0
PER_CHAT_RATE = 1.0
PER_CHAT_BURST = 3.0
GROUP_PER_MINUTE = 20.0
GROUP_BURST = 3.0
# Past this many chats, those that are idle and fully refilled are forgotten.
MAX_CHATS = 50_000


class Priority(IntEnum):
    """Lower goes first."""

    REPLY = 0
    URGENT = 1
    CHANGE = 2
    REMINDER = 3
    BULK = 4


PUSH_PRIORITY: dict[OutboxPriority, Priority] = {
    OutboxPriority.URGENT: Priority.URGENT,
    OutboxPriority.CHANGE: Priority.CHANGE,
    OutboxPriority.REMINDER: Priority.REMINDER,
    OutboxPriority.BULK: Priority.BULK,
}


@dataclass(frozen=True, slots=True)
class Push:
    """`rate_limit_args` of a call the bot makes on its own (not a reply): its priority.

    The governor paces it and records a 429's window, but leaves retrying to the caller
    (the outbox worker keeps the row; a progress edit waits for its next turn).
    """

    priority: Priority
    # Called when the call got its turn and is about to be made: until then the caller
    # may cancel it knowing nothing reached Telegram (the worker does when it stops).
    on_turn: Callable[[], None] | None = field(default=None, compare=False)

    @classmethod
    def of_outbox(cls, priority: int, on_turn: Callable[[], None] | None = None) -> Push:
        return cls(PUSH_PRIORITY[OutboxPriority(priority)], on_turn)


class Counted(Enum):
    """Which budget a method draws on."""

    CHAT = "chat"  # a message into a chat: the global bucket and that chat's
    GLOBAL = "global"  # nothing appears in a chat: the global bucket only


_CHAT_METHODS = (
    "sendMessage sendDocument sendPhoto sendVideo sendAudio sendVoice sendAnimation "
    "sendSticker sendLocation sendVenue sendContact sendPoll sendDice sendMediaGroup "
    "copyMessage copyMessages forwardMessage forwardMessages editMessageText "
    "editMessageCaption editMessageMedia editMessageReplyMarkup editMessageLiveLocation"
)
_GLOBAL_METHODS = (
    "answerCallbackQuery answerInlineQuery setMyCommands deleteMyCommands deleteMessage "
    "deleteMessages sendChatAction setMyName setMyDescription setMyShortDescription "
    "setChatMenuButton"
)
# Reads (getMe, getFile, getMyCommands, getWebhookInfo) and webhook set-up are free.
COUNTED: dict[str, Counted] = {
    **dict.fromkeys(_CHAT_METHODS.split(), Counted.CHAT),
    **dict.fromkeys(_GLOBAL_METHODS.split(), Counted.GLOBAL),
}


@dataclass
class GovernorStats:
    sent: int = 0
    throttled: int = 0  # 429s received
    global_pauses: int = 0
    replies_retried: int = 0
    replies_lost: int = 0


class Bucket:
    __slots__ = ("capacity", "rate", "tokens", "updated")

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updated = now

    def wait(self, now: float, need: float = 1.0) -> float:
        """Seconds until `need` tokens are there (0.0 if they are now)."""
        if now > self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
        return 0.0 if self.tokens >= need else (need - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1

    def full(self, now: float) -> bool:
        return self.tokens + (now - self.updated) * self.rate >= self.capacity


@dataclass
class ChatBudget:
    bucket: Bucket
    closed_until: float = 0.0

    def wait(self, now: float) -> float:
        return max(self.closed_until - now, self.bucket.wait(now))


class Budget:
    """The global bucket, each chat's, and the windows a 429 closed."""

    def __init__(
        self,
        rate: float,
        now: float,
        stats: GovernorStats,
        *,
        per_chat_rate: float = PER_CHAT_RATE,
        per_chat_burst: float = PER_CHAT_BURST,
        group_per_minute: float = GROUP_PER_MINUTE,
        group_burst: float = GROUP_BURST,
    ) -> None:
        self.rate = rate
        self.per_chat_rate = per_chat_rate
        self.per_chat_burst = per_chat_burst
        self.group_rate = group_per_minute / 60
        self.group_burst = group_burst
        self.stats = stats
        capacity = max(1.0, rate * GLOBAL_BURST_SECONDS)
        self._global = Bucket(rate, capacity, now)
        self._reserve = min(REPLY_RESERVE, capacity - 1.0)
        self._global_closed_until = 0.0
        self._chats: dict[int, ChatBudget] = {}

    def ready_at(self, chat_id: int, now: float) -> float:
        """When the next message to this chat may go."""
        state = self._chats.get(chat_id)
        wait = state.wait(now) if state is not None else 0.0
        return now + max(wait, self._global_closed_until - now)

    def admit(self, chat_id: int, now: float) -> bool:
        """Take a reply's tokens if both the bot's and the chat's are free now."""
        if self._global_closed_until > now or self._global.wait(now) > 0:
            return False
        state = self.chat(chat_id, now)
        if state.wait(now) > 0:
            return False
        self._global.take()
        state.bucket.take()
        self.stats.sent += 1
        return True

    def try_take(self, priority: int, chat: int | None, now: float) -> float:
        """Take the tokens if they are free (0.0), else say how long until the global
        budget could allow it (the chat's own wait is `chat_wait`)."""
        wait = max(self._global_closed_until - now, self._global.wait(now, self._need(priority)))
        if wait > 0:
            return wait
        self._global.take()
        if chat is not None:
            self.chat(chat, now).bucket.take()
        self.stats.sent += 1
        return 0.0

    def chat_wait(self, chat: int | None, now: float) -> float:
        return 0.0 if chat is None else self.chat(chat, now).wait(now)

    def throttled(self, chat: int | None, seconds: float, now: float) -> None:
        """Telegram answered 429 with `retry_after` = `seconds`."""
        self.stats.throttled += 1
        until = now + seconds
        if chat is not None:
            state = self.chat(chat, now)
            state.closed_until = max(state.closed_until, until)
        # Telegram does not say which scope it closed. The governor's own per-chat pacing
        # is stricter than Telegram's, so a 429 on a chat almost always means the bot as a
        # whole ran out (a network hiccup bunched requests together): calling any other
        # chat inside that window would be punished. So the whole bot waits too; it costs
        # a second when the guess is wrong, and the guess is rarely wrong.
        self._pause_all(until, now)

    def chat(self, chat_id: int, now: float) -> ChatBudget:
        state = self._chats.get(chat_id)
        if state is None:
            if len(self._chats) > MAX_CHATS:
                self._forget_idle_chats(now)
            if chat_id < 0:
                bucket = Bucket(self.group_rate, self.group_burst, now)
            else:
                bucket = Bucket(self.per_chat_rate, self.per_chat_burst, now)
            state = self._chats[chat_id] = ChatBudget(bucket)
        return state

    def _forget_idle_chats(self, now: float) -> None:
        self._chats = {
            c: s for c, s in self._chats.items() if s.closed_until > now or not s.bucket.full(now)
        }

    def _need(self, priority: int) -> float:
        return 1.0 if priority <= Priority.REPLY else 1.0 + self._reserve

    def _pause_all(self, until: float, now: float) -> None:
        if until > self._global_closed_until:
            self.stats.global_pauses += 1
            self._global_closed_until = until
            logger.warning("Telegram asked the whole bot to wait %.0f s", until - now)
