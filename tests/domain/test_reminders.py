from datetime import UTC, datetime, timedelta

from bot.domain.reminders import START_MARGIN, DueGroup, plan_runs, should_send

T = datetime(2030, 6, 10, 8, 45, tzinfo=UTC)


def test_a_small_group_starts_just_before_it_is_due():
    [run] = plan_runs([DueGroup(T, 10)], rate=30)
    assert T - timedelta(seconds=10) < run.run_at < T
    assert run.target == T


def test_a_large_plenary_starts_early_enough_for_the_last_one():
    [run] = plan_runs([DueGroup(T, 3000)], rate=30)
    assert T - run.run_at >= timedelta(seconds=100) + START_MARGIN


def test_close_targets_are_planned_backwards_so_both_meet_their_deadline():
    later = T + timedelta(seconds=30)
    first, second = plan_runs([DueGroup(T, 1000), DueGroup(later, 3000)], rate=30)
    assert second.target == later and first.target == T
    # 3,000 at ~25/s need ~118 s before `later`, which pushes the first group earlier still.
    assert second.run_at < later - timedelta(seconds=110)
    assert first.run_at < second.run_at - timedelta(seconds=39)


def test_late_but_before_start_is_sent_never_after():
    start = T + timedelta(minutes=15)
    assert should_send(start, 15, T)
    assert should_send(start, 15, T + timedelta(minutes=14))
    assert not should_send(start, 15, start)
    assert not should_send(start, 15, T - timedelta(seconds=1))
