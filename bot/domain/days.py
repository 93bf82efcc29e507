"""Which day a delegate means, and which days the summit has.

A "summit day" is a date at the venue. The first and last of them come from the span of
the sessions a viewer may see; every view that starts on "today" starts on the summit's
first day instead when today is outside the summit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from bot.domain.bounds import day_in_range


def parse_day(text: str | None, today: date) -> date | None:
    """`today`, `tomorrow`, `YYYY-MM-DD`, or nothing (today); None if it is none of them."""
    if text is None or text.lower() == "today":
        return today
    if text.lower() == "tomorrow":
        return today + timedelta(days=1)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day_in_range(day) else None


def summit_days(span: tuple[datetime, datetime] | None, zone: tzinfo) -> tuple[date, date] | None:
    """The first and last venue day of a span of sessions (None when there are none)."""
    if span is None:
        return None
    return span[0].astimezone(zone).date(), span[1].astimezone(zone).date()


def opening_day(today: date, days: tuple[date, date] | None) -> date:
    """Today during the summit; its first day before or after it (or today without one)."""
    if days is None:
        return today
    first, last = days
    return first if today < first or today > last else today
