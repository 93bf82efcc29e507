"""Token buckets and the 429 retry_after they produce, on a fake clock."""

import pytest

from bot.sandbox.ratelimit import RateLimiter, RateLimits, TokenBucket, retry_after_seconds


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills_at_its_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=2, capacity=3, clock=clock)
    for _ in range(3):
        assert bucket.wait_time() == 0
        bucket.take()
    assert bucket.wait_time() == pytest.approx(0.5)
    clock.now += 0.5
    assert bucket.wait_time() == 0


def test_bucket_never_holds_more_than_its_capacity() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=1, capacity=2, clock=clock)
    clock.now += 3600
    bucket.take()
    bucket.take()
    assert bucket.wait_time() == pytest.approx(1.0)


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    assert retry_after_seconds(0.01) == 1
    assert retry_after_seconds(1.0) == 1
    assert retry_after_seconds(1.2) == 2


def test_private_chats_have_their_own_buckets() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(per_chat_per_second=1, per_chat_burst=2), clock)
    assert limiter.acquire(1, is_group=False) is None
    assert limiter.acquire(1, is_group=False) is None
    assert limiter.acquire(1, is_group=False) == 1
    assert limiter.acquire(2, is_group=False) is None


def test_groups_are_limited_per_minute() -> None:
    clock = FakeClock()
    # The global bucket (strict by default: a burst of 10) is switched off to see the group's.
    limiter = RateLimiter(RateLimits(global_per_second=None, group_per_minute=20), clock)
    for _ in range(20):
        assert limiter.acquire(-100, is_group=True) is None
    assert limiter.acquire(-100, is_group=True) == 3  # one message every three seconds
    clock.now += 3
    assert limiter.acquire(-100, is_group=True) is None


def test_global_limit_spans_chats_and_a_refusal_consumes_nothing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(global_per_second=2, per_chat_per_second=1), clock)
    assert limiter.acquire(1, is_group=False) is None
    assert limiter.acquire(2, is_group=False) is None
    assert limiter.acquire(3, is_group=False) == 1
    # The 429 closed the whole bot for one second: a token is back after 0.5 s, but the
    # window is not over until 1 s; chat 3's own bucket was never touched.
    clock.now += 1.0
    assert limiter.acquire(3, is_group=False) is None
    assert limiter.violations == []


def test_none_switches_limits_off() -> None:
    limits = RateLimits(global_per_second=None, per_chat_per_second=None, group_per_minute=None)
    limiter = RateLimiter(limits, FakeClock())
    for _ in range(1000):
        assert limiter.acquire(-5, is_group=True) is None
        assert limiter.acquire(5, is_group=False) is None


def test_defaults_are_strict() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(), clock)
    # Ten at once to ten chats, then the global bucket (30/s, burst 10) is empty.
    assert [limiter.acquire(chat) for chat in range(10)] == [None] * 10
    assert limiter.acquire(11) == 1
    # One chat: a burst of four, then about one a second.
    clock.now += 10
    assert [limiter.acquire(7) for _ in range(4)] == [None] * 4
    assert limiter.acquire(7) == 1


def test_a_429_closes_the_chat_and_every_call_inside_the_window_is_a_violation() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(per_chat_per_second=0.5, per_chat_burst=1), clock)
    assert limiter.acquire(5, method="sendMessage") is None
    assert limiter.acquire(5, method="sendMessage") == 2  # closes chat 5 for two seconds
    assert limiter.violations == []
    clock.now += 1.9  # a token would be back soon, but the window is still closed
    assert limiter.acquire(5, method="editMessageText") == 1
    assert len(limiter.violations) == 1
    violation = limiter.violations[0]
    assert (violation.method, violation.chat_id, violation.scope) == ("editMessageText", 5, "chat")
    assert limiter.acquire(6) is None  # other chats are not affected
    clock.now += 0.1
    assert limiter.acquire(5) is None
    assert len(limiter.violations) == 1


def test_an_empty_global_bucket_closes_the_whole_bot() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(global_per_second=1, global_burst=1), clock)
    assert limiter.acquire(1) is None
    assert limiter.acquire(2) == 1
    assert limiter.acquire(3) == 1  # refused, but it was already on its way: no violation
    assert limiter.violations == []
    clock.now += 0.1
    assert limiter.acquire(None, method="answerCallbackQuery") == 1  # bot-wide calls too
    assert [v.scope for v in limiter.violations] == ["global"]
    clock.now += 1
    assert limiter.acquire(None, method="answerCallbackQuery") is None


def test_lenient_limits_allow_a_second_of_burst() -> None:
    limiter = RateLimiter(RateLimits.lenient(1000), FakeClock())
    assert all(limiter.acquire(chat) is None for chat in range(1000))
    assert limiter.acquire(0) == 1
