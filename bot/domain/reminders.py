"""When reminders must be sent so that each arrives its lead time before its session.

Reminders are planned per distinct send time, not per delegate: every delegate whose
reminder falls due at the same instant is served by one job. A job sends everything due
by its target; the fan-out takes time at the delivery rate (3,000 reminders at 30/s take
100 s), so jobs start early enough for the *last* reminder to arrive on time. Planning
runs backwards from the latest target, because the single sender serves one target after
another: a target's sending must also finish before the next target's sending begins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


MAX_LEAD = 240
"""The longest lead a delegate may choose with /remind, in minutes."""


def reminder_minutes(own_lead: int | None, summit_default: int) -> int | None:
    """The delegate's effective reminder lead: their own, else the summit's; None if off.

    `/remind off` stores 0; a delegate who never chose has None and gets the default.
    """
    if own_lead is None:
        return summit_default
    return own_lead or None


def parse_lead(words: Sequence[str]) -> int | None:
    """`/remind`'s argument as minutes: 0 for `off` (or 0), 1–240; None if unreadable."""
    if len(words) != 1:
        return None
    word = words[0].lower()
    # isdecimal, not isdigit: "²" is a digit int() refuses; "٣٠" is a decimal it reads.
    minutes = 0 if word in {"off", "0"} else int(word) if word.isdecimal() else -1
    return minutes if 0 <= minutes <= MAX_LEAD else None
