from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.domain.days import opening_day, parse_day, summit_days

TODAY = date(2026, 12, 1)
RIYADH = ZoneInfo("Asia/Riyadh")


def test_a_day_is_today_tomorrow_or_a_date_in_range():
    assert parse_day(None, TODAY) == TODAY
    assert parse_day("Today", TODAY) == TODAY
    assert parse_day("TOMORROW", TODAY) == date(2026, 12, 2)
    assert parse_day("2026-12-03", TODAY) == date(2026, 12, 3)


def test_anything_else_is_not_a_day():
    assert parse_day("yesterday", TODAY) is None
    assert parse_day("2026-13-01", TODAY) is None
    assert parse_day("0001-01-01", TODAY) is None  # outside the one accepted range
    assert parse_day("9999-12-31", TODAY) is None


def test_summit_days_are_venue_dates_of_the_span():
    # 22:30 UTC on 30 November is already 1 December in Riyadh (UTC+3).
    span = (datetime(2026, 11, 30, 22, 30, tzinfo=UTC), datetime(2026, 12, 3, 20, 0, tzinfo=UTC))
    assert summit_days(span, RIYADH) == (date(2026, 12, 1), date(2026, 12, 3))
    assert summit_days(None, RIYADH) is None


def test_opening_day_is_today_during_the_summit_else_its_first_day():
    days = (date(2026, 12, 1), date(2026, 12, 3))
    assert opening_day(date(2026, 12, 2), days) == date(2026, 12, 2)
    assert opening_day(date(2026, 11, 20), days) == date(2026, 12, 1)
    assert opening_day(date(2026, 12, 24), days) == date(2026, 12, 1)
    assert opening_day(date(2026, 12, 24), None) == date(2026, 12, 24)
