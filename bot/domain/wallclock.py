"""Placing a venue wall-clock time on the timeline: one rule for chat and files alike.

A time that a daylight-saving jump skips (02:30 on the night clocks go forward) does not
exist; which real moment the organizer meant is unknowable, so every entry point refuses
it instead of letting `zoneinfo` shift it silently. A repeated time (clocks going back)
means its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def place(naive: datetime, zone: tzinfo) -> datetime | None:
    """`naive` as wall-clock time in `zone`, or None when that time does not exist there."""
    aware = naive.replace(tzinfo=zone, fold=0)
    try:
        back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        # Year 1 or 9999 shifted past the calendar: callers check the range first, but an
        # unrepresentable time certainly does not exist.
        return None
    return aware if back == naive else None
