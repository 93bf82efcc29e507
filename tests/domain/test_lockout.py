from datetime import UTC, datetime, timedelta

from bot.domain.lockout import LOCKOUT, MAX_FAILED_STARTS, counted_since, locked_until

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def attempts(count: int) -> list[datetime]:
    """`count` failed attempts a minute apart, the oldest first (as the store returns them)."""
    return [NOW - timedelta(minutes=count - i) for i in range(count)]


def test_fewer_failures_than_the_limit_do_not_lock():
    assert locked_until(attempts(MAX_FAILED_STARTS - 1)) is None
    assert locked_until([]) is None


def test_the_limit_locks_until_the_oldest_counted_attempt_ages_out():
    failures = attempts(MAX_FAILED_STARTS)
    assert locked_until(failures) == failures[0] + LOCKOUT


def test_with_more_failures_the_fifth_latest_decides():
    failures = attempts(MAX_FAILED_STARTS + 3)
    assert locked_until(failures) == failures[3] + LOCKOUT


def test_only_attempts_within_the_lockout_count():
    assert counted_since(NOW) == NOW - timedelta(hours=1)
