from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.domain.agenda import day_bounds, navigation, next_up, on_agenda, visible_to
from bot.domain.models import Audience, SessionKind, SessionStatus
from tests.support.sessions import T0, session


def test_invited_sessions_are_visible_only_to_attendees():
    bilateral = session(kind=SessionKind.BILATERAL, audience=Audience.INVITED)
    assert not visible_to(bilateral, attending=False)
    assert visible_to(bilateral, attending=True)
    assert visible_to(session(), attending=False)


def test_agenda_is_open_plenaries_plus_attended_sessions():
    assert on_agenda(session(kind=SessionKind.PLENARY), attending=False)
    assert not on_agenda(
        session(kind=SessionKind.PLENARY, audience=Audience.INVITED), attending=False
    )
    assert not on_agenda(session(), attending=False)
    assert on_agenda(session(), attending=True)


def test_day_bounds_follow_dst():
    start, end = day_bounds(date(2026, 3, 29), ZoneInfo("Europe/Berlin"))
    assert end - start == timedelta(hours=23)


def test_navigation_clamps_to_the_summit():
    first, last = date(2026, 12, 1), date(2026, 12, 3)
    middle = navigation(date(2026, 12, 2), first, last)
    assert (middle.previous, middle.next) == (date(2026, 12, 1), date(2026, 12, 3))
    assert navigation(first, first, last).previous is None
    assert navigation(last, first, last).next is None
    before = navigation(date(2026, 11, 20), first, last)
    assert (before.previous, before.next) == (None, first)
    after = navigation(date(2026, 12, 9), first, last)
    assert (after.previous, after.next) == (last, None)
    assert navigation(first, None, None).next is None


def test_next_up_skips_cancelled_and_finds_running():
    running = session("running", start=T0 - timedelta(minutes=30))
    cancelled = session(
        "cancelled", start=T0 + timedelta(minutes=10), status=SessionStatus.CANCELLED
    )
    later = session("later", start=T0 + timedelta(minutes=40))
    up = next_up([running, cancelled, later], T0)
    assert up.running == (running,)
    assert up.upcoming == later
    assert next_up([], T0).upcoming is None
