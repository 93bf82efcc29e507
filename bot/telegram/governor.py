"""The one governor every Bot API call passes: Telegram's budget, and who goes first.

It is python-telegram-bot's rate limiter (`ApplicationBuilder.rate_limiter`), so it sees
every call the bot makes — handler replies, button answers, edits, files, start-up's
`setMyCommands`, the outbox worker's pushes, the broadcast progress edits — and no
handler can go around it. The reply held for a webhook response is admitted by it too
(`admit_now`), and sent through it if it cannot ride in the response after all.

**Budget.** One global token bucket at the configured `delivery.messages_per_second`
(its burst only a tenth of a second's worth, so the calls Telegram receives stay within
a strict reading of its limit), one bucket per private chat (one a second, a burst of
three) and per group (20 a minute). `COUNTED` says which methods take which tokens.

**Priorities.** A free token goes to the best waiting call: a reply to a person who is
waiting, then urgent notices, programme changes, reminders, and bulk (broadcasts,
digests). Pushes also leave a reserve in the global bucket untouched, so a reply that
arrives during a 3,000-recipient broadcast finds a token at once instead of queueing
behind it; the broadcast still gets every token the replies do not use.

**429.** Telegram does not name the scope it closed, so the chat waits out `retry_after`
and so does the whole bot: the governor's per-chat pacing is stricter than Telegram's, so
a 429 nearly always means the bot-wide budget ran out, and any call inside that window
would be punished. Nothing is sent into a closed window. A reply is then retried, until it succeeds
or `REPLY_DEADLINE` passes; a push goes back to the outbox worker, which keeps its row.

**Errors.** A reply is sent again after an error only when the first attempt
demonstrably did not take effect: Telegram answered 5xx, or the request never fully left
(no connection, pool or connect timeout, write timeout). After a read timeout or a
dropped connection the request may have been executed, so it is *not* repeated — a
duplicate answer is worse than a missing one the person can ask again. A reply finally
given up is logged with its reason (never its text) and counted (`stats.replies_lost`,
`on_lost`, shown by /stats and `summitbot status`).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import random
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from bot.storage.outbox import Priority as OutboxPriority
from bot.telegram.webhook_slot import take_held

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
ApiResult = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, ApiResult]]

# A reply still not sent after this many seconds is given up and counted as lost.
REPLY_DEADLINE = 60.0
# The global bucket holds at most this much time's worth of sends (and at least one).
GLOBAL_BURST_SECONDS = 0.1
# Pushes leave this many global tokens for replies.
REPLY_RESERVE = 1.0
PER_CHAT_RATE = 1.0
PER_CHAT_BURST = 3.0
GROUP_PER_MINUTE = 20.0
GROUP_BURST = 3.0
# The dispatcher grants every token that came due while it slept: sleeping at least this
# long costs a reply at most a few milliseconds and saves thousands of wake-ups a second.
MIN_SLEEP = 0.002


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


class _Bucket:
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
class _Chat:
    bucket: _Bucket
    closed_until: float = 0.0

    def wait(self, now: float) -> float:
        return max(self.closed_until - now, self.bucket.wait(now))


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    chat: int | None = field(compare=False)
    future: asyncio.Future[None] = field(compare=False)


class Lost(Exception):
    """Why a reply was given up (its text is never part of it)."""


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
        clock: Clock = time.monotonic,
    ) -> None:
        self.rate = rate
        self.per_chat_rate = per_chat_rate
        self.per_chat_burst = per_chat_burst
        self.group_rate = group_per_minute / 60
        self.group_burst = group_burst
        self.reply_deadline = reply_deadline
        self.stats = GovernorStats()
        # Called with (method, reason) for every reply given up, e.g. to record it.
        self.on_lost: Callable[[str, str], None] | None = None
        self._clock = clock
        capacity = max(1.0, rate * GLOBAL_BURST_SECONDS)
        self._global = _Bucket(rate, capacity, clock())
        self._reserve = min(REPLY_RESERVE, capacity - 1.0)
        self._global_closed_until = 0.0
        self._chats: dict[int, _Chat] = {}
        self._ready: list[_Waiter] = []
        self._parked: list[tuple[float, int, _Waiter]] = []
        self._seq = itertools.count()
        self._wakeup: asyncio.Future[None] | None = None
        self._dispatcher: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ PTB's interface

    async def initialize(self) -> None:
        self._ensure_dispatcher()

    async def shutdown(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None

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
            await self._send_held(callback, held)
        counted = COUNTED.get(endpoint)
        if counted is None:
            return await callback(*args, **kwargs)
        chat = _chat_id(data) if counted is Counted.CHAT else None
        if rate_limit_args is not None:
            return await self._push(callback, args, kwargs, rate_limit_args, chat)
        return await self._reply(callback, args, kwargs, endpoint, chat)

    # ------------------------------------------------------------ what callers ask

    def chat_ready_at(self, chat_id: int) -> float:
        """When the next message to this chat may go, on the governor's clock."""
        now = self._clock()
        state = self._chats.get(chat_id)
        wait = state.wait(now) if state is not None else 0.0
        return now + max(wait, self._global_closed_until - now)

    def admit_now(self, chat_id: int) -> bool:
        """Take a reply's tokens now if they are free, for a reply that will travel in the
        webhook response; False means it must be sent through the API instead."""
        now = self._clock()
        if self._ready and self._ready[0].priority <= Priority.REPLY:
            return False
        if self._global_closed_until > now or self._global.wait(now) > 0:
            return False
        state = self._chat(chat_id)
        if state.wait(now) > 0:
            return False
        self._global.take()
        state.bucket.take()
        self.stats.sent += 1
        return True

    # ------------------------------------------------------------ sending

    async def _push(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], push: Push, chat: int | None
    ) -> ApiResult:
        await self._turn(push.priority, chat)
        if push.on_turn is not None:
            push.on_turn()
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            self._throttled(chat, _seconds(exc.retry_after))
            raise

    async def _reply(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        chat: int | None,
        *,
        paid: bool = False,
    ) -> ApiResult:
        deadline = self._clock() + self.reply_deadline
        attempts = 0
        while True:
            if not paid:
                try:
                    await self._turn(Priority.REPLY, chat, deadline)
                except TimeoutError:
                    self._lose(endpoint, chat, "no turn within the deadline")
                    raise
            paid = False
            attempts += 1
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = _seconds(exc.retry_after)
                self._throttled(chat, seconds)
                if self._clock() + seconds > deadline:
                    self._lose(endpoint, chat, f"429, retry after {seconds:g} s, past deadline")
                    raise
            except BadRequest:
                raise  # a 400 is the caller's to handle (PTB makes BadRequest a NetworkError)
            except NetworkError as exc:
                if not _never_executed(exc):
                    self._lose(endpoint, chat, f"{_reason(exc)}; not repeated (may have arrived)")
                    raise
                pause = min(8.0, 0.5 * 2 ** (attempts - 1)) * random.uniform(0.8, 1.2)
                if self._clock() + pause > deadline:
                    self._lose(endpoint, chat, f"{_reason(exc)}, past deadline")
                    raise
                logger.info("reply %s to chat %s: %s; trying again", endpoint, chat, _reason(exc))
                await asyncio.sleep(pause)
            self.stats.replies_retried += 1

    async def _send_held(self, callback: Callback, held: dict[str, Any]) -> None:
        method = held.pop("method")
        chat = held.get("chat_id")
        try:
            await self._reply(
                callback,
                (method, held),
                {},
                method,
                chat if isinstance(chat, int) else None,
                paid=True,
            )
        except Exception as exc:
            # Already counted as lost; the call that flushed it must still go.
            logger.warning("held %s could not be sent: %s", method, _reason(exc))

    def _lose(self, endpoint: str, chat: int | None, reason: str) -> None:
        self.stats.replies_lost += 1
        logger.warning("reply %s to chat %s lost: %s", endpoint, chat, reason)
        if self.on_lost is not None:
            try:
                self.on_lost(endpoint, reason)
            except Exception:
                logger.exception("could not record a lost reply")

    # ------------------------------------------------------------ the budget

    def _chat(self, chat_id: int) -> _Chat:
        state = self._chats.get(chat_id)
        if state is None:
            if len(self._chats) > 50_000:
                self._forget_idle_chats()
            now = self._clock()
            if chat_id < 0:
                bucket = _Bucket(self.group_rate, self.group_burst, now)
            else:
                bucket = _Bucket(self.per_chat_rate, self.per_chat_burst, now)
            state = self._chats[chat_id] = _Chat(bucket)
        return state

    def _forget_idle_chats(self) -> None:
        now = self._clock()
        self._chats = {
            c: s for c, s in self._chats.items() if s.closed_until > now or not s.bucket.full(now)
        }

    def _need(self, priority: int) -> float:
        return 1.0 if priority <= Priority.REPLY else 1.0 + self._reserve

    def _try_take(self, priority: int, chat: int | None, now: float) -> float:
        """Take the tokens if they are free (0.0), else say how long until the global
        budget could allow it (the chat's own wait is `_chat_wait`)."""
        wait = max(self._global_closed_until - now, self._global.wait(now, self._need(priority)))
        if wait > 0:
            return wait
        self._global.take()
        if chat is not None:
            self._chat(chat).bucket.take()
        self.stats.sent += 1
        return 0.0

    def _chat_wait(self, chat: int | None, now: float) -> float:
        return 0.0 if chat is None else self._chat(chat).wait(now)

    def _throttled(self, chat: int | None, seconds: float) -> None:
        now = self._clock()
        self.stats.throttled += 1
        until = now + seconds
        if chat is None:
            self._pause_all(until)
            return
        state = self._chat(chat)
        state.closed_until = max(state.closed_until, until)
        # Telegram does not say which scope it closed. The governor's own per-chat pacing
        # is stricter than Telegram's, so a 429 on a chat almost always means the bot as a
        # whole ran out (a network hiccup bunched requests together): calling any other
        # chat inside that window would be punished. So the whole bot waits too; it costs
        # a second when the guess is wrong, and the guess is rarely wrong.
        self._pause_all(until)

    def _pause_all(self, until: float) -> None:
        if until > self._global_closed_until:
            self.stats.global_pauses += 1
            self._global_closed_until = until
            logger.warning("Telegram asked the whole bot to wait %.0f s", until - self._clock())

    # ------------------------------------------------------------ whose turn

    async def _turn(self, priority: int, chat: int | None, deadline: float | None = None) -> None:
        now = self._clock()
        best_waiting = self._ready[0].priority if self._ready else None
        first = best_waiting is None or priority < best_waiting
        if first and self._chat_wait(chat, now) <= 0 and self._try_take(priority, chat, now) == 0:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._ready, _Waiter(priority, next(self._seq), chat, future))
        self._ensure_dispatcher()
        self._poke()
        if deadline is None:
            await future
            return
        try:
            await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - now))
        except TimeoutError:
            if future.done():  # granted at the last moment: use it
                return
            future.cancel()  # the dispatcher skips it
            raise

    def _ensure_dispatcher(self) -> None:
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.get_running_loop().create_task(
                self._dispatch(), name="telegram-governor"
            )

    def _poke(self) -> None:
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    async def _sleep(self, seconds: float | None) -> None:
        loop = asyncio.get_running_loop()
        self._wakeup = loop.create_future()
        handle = None
        if seconds is not None:
            handle = loop.call_later(max(seconds, MIN_SLEEP), self._poke)
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
                await asyncio.sleep(0.1)

    def _grant(self) -> float | None:
        """Hand out every turn that is due; returns how long to sleep (None: until poked)."""
        now = self._clock()
        while self._parked and self._parked[0][0] <= now:
            _, _, waiter = heapq.heappop(self._parked)
            heapq.heappush(self._ready, waiter)
        while self._ready:
            waiter = self._ready[0]
            if waiter.future.done():
                heapq.heappop(self._ready)
                continue
            chat_wait = self._chat_wait(waiter.chat, now)
            if chat_wait > 0:
                heapq.heappop(self._ready)
                heapq.heappush(self._parked, (now + chat_wait, waiter.seq, waiter))
                continue
            wait = self._try_take(waiter.priority, waiter.chat, now)
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


def _chat_id(data: dict[str, Any]) -> int | None:
    value = data.get("chat_id")
    if isinstance(value, int):
        return value
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None  # an @channel username: only the global budget applies


def _seconds(value: object) -> float:
    seconds = getattr(value, "total_seconds", None)
    return float(seconds()) if callable(seconds) else float(value)  # type: ignore[arg-type]


# Failures in which the request never fully reached Telegram.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout)


def _never_executed(exc: NetworkError) -> bool:
    """True when resending cannot make a duplicate: Telegram answered with an error
    (5xx), or the request never fully left. Not after a read timeout or a lost
    connection: Telegram may have executed it."""
    cause = exc.__cause__
    if isinstance(exc, TimedOut):
        return isinstance(cause, _NOT_SENT) or "Pool timeout" in str(exc)
    if cause is None:
        return True  # an HTTP answer from Telegram (502, 500 …): it did not execute it
    return isinstance(cause, _NOT_SENT)


def _reason(exc: BaseException) -> str:
    """The error's kind and Telegram's description (never the message text)."""
    return f"{type(exc).__name__}: {exc}"[:200]
