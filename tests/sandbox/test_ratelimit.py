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
    limiter = RateLimiter(RateLimits(group_per_minute=20), clock)
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
    clock.now += 0.5  # one global token back; chat 3's own bucket was never touched
    assert limiter.acquire(3, is_group=False) is None


def test_none_switches_limits_off() -> None:
    limiter = RateLimiter(RateLimits(group_per_minute=None), FakeClock())
    for _ in range(1000):
        assert limiter.acquire(-5, is_group=True) is None
        assert limiter.acquire(5, is_group=False) is None
