"""When reminders must be sent so that each arrives its lead time before its session.

Reminders are planned per distinct send time, not per delegate: every delegate whose
reminder falls due at the same instant is served by one job. A job sends everything due
by its target; the fan-out takes time at the delivery rate (3,000 reminders at 30/s take
100 s), so jobs start early enough for the *last* reminder to arrive on time. Planning
runs backwards from the latest target, because the single sender serves one target after
another: a target's sending must also finish before the next target's sending begins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Delivery never runs exactly at the configured rate; plan for a little slower.
RATE_HEADROOM = 0.85
# And leave a few seconds for the job to wake and query.
START_MARGIN = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class DueGroup:
    """How many reminders fall due at one instant."""

    due: datetime
    count: int


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """Run at `run_at`, sending every reminder due by `target`."""

    run_at: datetime
    target: datetime


def plan_runs(groups: Iterable[DueGroup], rate: float) -> list[PlannedRun]:
    """Latest start for each target such that the sender meets every deadline in turn."""
    effective = max(rate * RATE_HEADROOM, 0.1)
    runs: list[PlannedRun] = []
    free_until: datetime | None = None
    for group in sorted(groups, key=lambda g: g.due, reverse=True):
        finish = group.due if free_until is None else min(group.due, free_until)
        run_at = finish - timedelta(seconds=group.count / effective) - START_MARGIN
        runs.append(PlannedRun(run_at=run_at, target=group.due))
        free_until = run_at
    runs.reverse()
    return runs
