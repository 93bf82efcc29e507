from datetime import UTC, datetime, timedelta

from bot.domain.reminders import START_MARGIN, DueGroup, plan_runs

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
