"""The governor on its own: budget, priorities, 429 windows, retries and lost replies."""

import asyncio
from datetime import timedelta

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.telegram.governor import Governor, Priority, Push
from bot.telegram.webhook_slot import CURRENT_SLOT, ReplySlot, hold


class Telegram:
    """Records when each call was made (on the test's clock); fails the next calls as told."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.calls: list[tuple[float, str, object]] = []
        self.failures: list[Exception] = []

    def callback(self, label: object):
        async def call(*args, **kwargs):
            self.calls.append((self.clock.monotonic(), args[0] if args else "call", label))
            if self.failures:
                raise self.failures.pop(0)
            return {"ok": label}

        return call


@pytest.fixture
async def governor(clock, virtual):
    """A governor of 100 messages a second on the test's clock; shut down after the test."""
    governor = Governor(100, clock=clock, timer=virtual)
    yield governor
    await governor.shutdown()


@pytest.fixture
def telegram(clock) -> Telegram:
    return Telegram(clock)


async def request(governor, telegram, label, *, chat=1, endpoint="sendMessage", push=None):
    return await governor.process_request(
        telegram.callback(label), (), {}, endpoint, {"chat_id": chat}, push
    )


async def test_a_reply_goes_before_the_pushes_already_waiting(clock, virtual):
    governor = Governor(10, clock=clock, timer=virtual)
    telegram = Telegram(clock)
    pushes = [
        asyncio.create_task(
            request(governor, telegram, f"bulk{i}", chat=i, push=Push(Priority.BULK))
        )
        for i in range(10, 16)
    ]
    await virtual.sleep(0.05)  # the first push took the only token; the rest wait
    await request(governor, telegram, "reply", chat=1)
    order = [label for _, _, label in telegram.calls]
    await asyncio.gather(*pushes)
    assert order.index("reply") <= 2, order
    await governor.shutdown()


async def test_the_global_rate_is_kept(clock, virtual):
    governor = Governor(40, clock=clock, timer=virtual)
    telegram = Telegram(clock)
    started = clock.monotonic()
    await asyncio.gather(*(request(governor, telegram, i, chat=i) for i in range(1, 21)))
    # A burst of four (a tenth of a second's worth), then one every 25 ms.
    assert clock.monotonic() - started >= (20 - 4) / 40 * 0.95
    await governor.shutdown()


async def test_one_private_chat_gets_a_burst_then_about_one_a_second(clock, virtual):
    governor = Governor(100, per_chat_rate=4, per_chat_burst=2, clock=clock, timer=virtual)
    telegram = Telegram(clock)
    for i in range(4):
        await request(governor, telegram, i, chat=7)
    times = [t for t, _, _ in telegram.calls]
    assert times[2] - times[0] >= 0.2  # third message waited for the chat's bucket
    assert times[3] - times[2] >= 0.2
    await governor.shutdown()


async def test_a_429_on_a_reply_waits_out_the_window_and_sends_it_once(governor, telegram):
    telegram.failures = [RetryAfter(timedelta(seconds=1))]
    assert await request(governor, telegram, "hello") == {"ok": "hello"}
    (first, _, _), (second, _, _) = telegram.calls
    assert second - first >= 1.0
    assert governor.stats.throttled == 1 and governor.stats.replies_lost == 0


async def test_a_429_closes_the_chat_and_the_bot_for_the_whole_window(clock, governor, telegram):
    telegram.failures = [RetryAfter(timedelta(seconds=1))]
    before = clock.monotonic()
    with pytest.raises(RetryAfter):  # a push's retry belongs to the outbox worker
        await request(governor, telegram, "push", chat=5, push=Push(Priority.BULK))
    # Telegram does not say whether it closed chat 5 or the bot: nothing goes anywhere.
    await request(governor, telegram, "other chat", chat=6)
    assert telegram.calls[-1][0] - before >= 1.0
    await request(governor, telegram, "same chat", chat=5)
    assert telegram.calls[-1][0] - before >= 1.0
    assert governor.chat_ready_at(5) <= clock.monotonic()
    assert governor.stats.global_pauses == 1


async def test_a_bot_wide_429_pauses_everything(governor, telegram):
    telegram.failures = [RetryAfter(timedelta(seconds=1))]
    await request(governor, telegram, "answer", endpoint="answerCallbackQuery")
    assert telegram.calls[1][0] - telegram.calls[0][0] >= 1.0
    assert governor.stats.global_pauses == 1


async def test_a_reply_refused_until_the_deadline_is_lost_and_counted(clock, virtual):
    governor = Governor(100, reply_deadline=1.5, clock=clock, timer=virtual)
    lost: list[tuple[str, str]] = []
    governor.on_lost = lambda method, reason: lost.append((method, reason))
    telegram = Telegram(clock)
    telegram.failures = [RetryAfter(timedelta(seconds=1))] * 3
    with pytest.raises(RetryAfter):
        await request(governor, telegram, "secret text")
    assert len(telegram.calls) == 2  # the third try would have been past the deadline
    assert governor.stats.replies_lost == 1
    assert lost[0][0] == "sendMessage" and "429" in lost[0][1]
    assert "secret" not in lost[0][1]
    await governor.shutdown()


async def test_server_errors_on_replies_are_retried(governor, telegram):
    telegram.failures = [NetworkError("Bad Gateway"), NetworkError("Internal Server Error (500)")]
    assert await request(governor, telegram, "x") == {"ok": "x"}
    assert len(telegram.calls) == 3


async def test_a_bad_request_is_the_callers_not_retried(governor, telegram):
    telegram.failures = [BadRequest("Bad Request: message is not modified")]
    with pytest.raises(BadRequest):
        await request(governor, telegram, "x", endpoint="editMessageText")
    assert len(telegram.calls) == 1
    assert governor.stats.replies_lost == 0


async def test_a_connection_never_made_is_retried(governor, telegram):
    error = NetworkError("httpx.ConnectError")
    error.__cause__ = httpx.ConnectError("refused")
    telegram.failures = [error]
    assert await request(governor, telegram, "x") == {"ok": "x"}
    assert len(telegram.calls) == 2


async def test_a_read_timeout_is_not_repeated_as_it_may_have_arrived(governor, telegram):
    error = TimedOut()
    error.__cause__ = httpx.ReadTimeout("no answer")
    telegram.failures = [error]
    with pytest.raises(TimedOut):
        await request(governor, telegram, "x")
    assert len(telegram.calls) == 1
    assert governor.stats.replies_lost == 1


async def test_uncounted_calls_pass_straight_through(clock, virtual):
    governor = Governor(1, clock=clock, timer=virtual)
    telegram = Telegram(clock)
    await asyncio.gather(*(request(governor, telegram, i, endpoint="getFile") for i in range(20)))
    assert len(telegram.calls) == 20
    await governor.shutdown()


async def test_a_webhook_reply_is_admitted_only_when_its_budget_is_free(clock, virtual):
    governor = Governor(10, per_chat_burst=1, clock=clock, timer=virtual)
    assert governor.admit_now(3) is True
    assert governor.admit_now(3) is False  # the chat's token is spent
    assert governor.admit_now(4) is False  # and the global bucket (one token at 10/s)
    await governor.shutdown()


async def test_a_webhook_reply_held_then_flushed_goes_first_and_is_paid_once(clock, virtual):
    governor = Governor(100, per_chat_burst=2, clock=clock, timer=virtual)
    telegram = Telegram(clock)
    slot = ReplySlot()
    token = CURRENT_SLOT.set(slot)
    try:
        payload = {"method": "sendMessage", "chat_id": 5, "text": "first"}
        assert hold(payload, lambda: governor.admit_now(5))
        # The update sends a second message: the held one goes first, through the API.
        await governor.process_request(
            telegram.callback("second"),
            ("sendMessage", {}),
            {},
            "sendMessage",
            {"chat_id": 5},
            None,
        )
    finally:
        CURRENT_SLOT.reset(token)
    assert [method for _, method, _ in telegram.calls] == ["sendMessage", "sendMessage"]
    assert slot.payload is None
    assert governor.stats.sent == 2  # one token each: the held reply was not charged twice
    await governor.shutdown()


async def test_a_webhook_reply_is_not_held_without_budget(clock, virtual):
    governor = Governor(100, per_chat_burst=1, clock=clock, timer=virtual)
    assert governor.admit_now(5)
    slot = ReplySlot()
    token = CURRENT_SLOT.set(slot)
    try:
        assert not hold({"method": "sendMessage", "chat_id": 5}, lambda: governor.admit_now(5))
    finally:
        CURRENT_SLOT.reset(token)
    assert slot.payload is None and not slot.used
    await governor.shutdown()
