from datetime import timedelta

from bot.domain.agenda import (
    NotChoosable,
    choice_refused,
    now_and_next,
    on_agenda,
    open_plenary,
    still_listed,
)
from bot.domain.models import Audience, SessionKind, SessionStatus
from tests.support.sessions import T0, session


def test_an_open_plenary_is_the_agenda_rule_without_attending():
    for kind in SessionKind:
        for audience in Audience:
            s = session(kind=kind, audience=audience)
            assert open_plenary(s) == on_agenda(s, attending=False)


def test_delegates_choose_open_non_plenary_sessions_only():
    assert choice_refused(session()) is None
    assert choice_refused(session(kind=SessionKind.PLENARY)) is NotChoosable.OPEN_PLENARY
    assert choice_refused(session(audience=Audience.INVITED)) is NotChoosable.ASSIGNED
    invited_plenary = session(kind=SessionKind.PLENARY, audience=Audience.INVITED)
    assert choice_refused(invited_plenary) is NotChoosable.ASSIGNED


def test_cancelled_comes_first():
    cancelled = session(kind=SessionKind.PLENARY, status=SessionStatus.CANCELLED)
    assert choice_refused(cancelled) is NotChoosable.CANCELLED


def test_a_cancelled_session_is_listed_until_its_day_ends():
    day_end = T0 + timedelta(hours=18)
    cancelled = session(status=SessionStatus.CANCELLED)
    assert still_listed(cancelled, day_end, T0)
    assert not still_listed(cancelled, day_end, day_end)
    assert still_listed(session(), day_end, day_end + timedelta(days=1))


def test_now_and_next():
    running = session("a", start=T0 - timedelta(minutes=30))
    later = session("b", start=T0 + timedelta(hours=2))
    assert now_and_next([running, later], T0) == (running, later)
    assert now_and_next([later], T0) == (None, later)
    assert now_and_next([], T0) == (None, None)
