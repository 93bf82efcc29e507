"""/agenda and /next: a day's sessions in venue time, navigation, splitting, languages."""

from datetime import date, timedelta

import pytest

from bot.domain.agenda import DayNavigation, NextUp
from bot.domain.models import Audience, SessionKind, SessionStatus
from bot.domain.rooms import Room
from bot.views import agenda
from bot.views.where import room_button_data
from tests.views.builders import AR, DAY, EN, FR, assert_fits, at, buttons, data, isolated, session

NAV = DayNavigation(date(2026, 11, 30), date(2026, 12, 2))
OPEN = session("p1", "Trade & <Tariffs>", 9, room="Hall <A>")
PRIVATE = session(
    "b1", "Talks", 11, room="Room 2", kind=SessionKind.BILATERAL, audience=Audience.INVITED
)
GONE = session("p3", "Gone", 13, room="Room 3", status=SessionStatus.CANCELLED)


def test_session_lines_show_venue_time_title_and_room_escaped():
    assert agenda.session_lines(EN, OPEN) == (
        "<b>09:00–10:00</b> Trade &amp; &lt;Tariffs&gt;\n📍 Hall &lt;A&gt;"
    )


def test_private_and_cancelled_sessions_are_marked():
    assert agenda.session_lines(EN, PRIVATE).startswith("<b>11:00–12:00</b> 🔒 Talks\n")
    assert agenda.session_lines(EN, GONE) == (
        "<b>13:00–14:00</b> <s>Gone</s> — cancelled\n📍 Room 3"
    )


def test_translated_title_is_used_in_its_language():
    translated = session(titles={"fr": "Table ronde"})
    assert "Table ronde" in agenda.session_lines(FR, translated)
    assert "Table ronde" not in agenda.session_lines(EN, translated)


def test_day_agenda_lists_the_day_with_navigation_buttons():
    (reply,) = agenda.day_agenda(EN, DAY, [OPEN, PRIVATE, GONE], NAV)
    lines = reply.text.split("\n")
    assert lines[:2] == ["<b>Tuesday, 1 December 2026</b>", "3 sessions on your agenda"]
    assert "<b>09:00–10:00</b> Trade &amp; &lt;Tariffs&gt;" in lines
    assert [(b.text, b.data) for b in buttons(reply)] == [
        ("◀ Mon 30 Nov", "ag:2026-11-30"),
        ("Wed 2 Dec ▶", "ag:2026-12-02"),
    ]


def test_an_empty_day_says_so_and_the_summit_ends_have_one_arrow():
    (reply,) = agenda.day_agenda(EN, DAY, [], DayNavigation(None, date(2026, 12, 2)))
    assert reply.text == "<b>Tuesday, 1 December 2026</b>\nNothing on your agenda this day."
    assert data(reply) == ["ag:2026-12-02"]
    (alone,) = agenda.day_agenda(EN, DAY, [], DayNavigation(None, None))
    assert alone.buttons == ()


def test_day_agenda_has_room_buttons_and_the_mini_app_last():
    room = Room("Hall <A>", "Main", "1", 300)
    (reply,) = agenda.day_agenda(
        EN, DAY, [OPEN], NAV, rooms={room.key: room}, webapp_url="https://x.example/app"
    )
    rows = reply.buttons
    assert rows[0][0].text == "📍 Hall <A>" and rows[0][0].data == room_button_data(room)
    assert rows[-1][0].web_app == "https://x.example/app" and rows[-1][0].data is None


def test_cancelled_session_gets_no_room_button():
    room = Room("Room 3", "Main", "1", 30)
    (reply,) = agenda.day_agenda(EN, DAY, [GONE], NAV, rooms={room.key: room})
    assert all(not (b.data or "").startswith("wh:") for b in buttons(reply))


@pytest.mark.parametrize(("count", "line"), [(1, "1 session on your agenda"), (2, "2 sessions")])
def test_the_count_takes_the_plural(count, line):
    sessions = [session(f"s{i}", "S", 9 + i) for i in range(count)]
    (reply,) = agenda.day_agenda(EN, DAY, sessions, NAV)
    assert reply.text.split("\n")[1].startswith(line)


def test_french_translates_the_frame_and_dates():
    (reply,) = agenda.day_agenda(FR, DAY, [OPEN, GONE], NAV)
    assert reply.text.startswith("<b>mardi 1 décembre 2026</b>\n2 séances inscrites à votre agenda")
    assert "<s>Gone</s> — annulée" in reply.text
    assert buttons(reply)[0].text == "◀ lun. 30 nov."


def test_arabic_isolates_latin_values_and_uses_the_dual():
    (reply,) = agenda.day_agenda(AR, DAY, [OPEN, PRIVATE], NAV)
    assert "\nجلستان في جدول أعمالكم\n" in reply.text  # two: the dual, no digit
    assert isolated("Trade &amp; &lt;Tariffs&gt;") in reply.text
    assert "📍 " + isolated("Hall &lt;A&gt;") in reply.text
    (one,) = agenda.day_agenda(AR, DAY, [OPEN], NAV)
    assert "جلسة واحدة في جدول أعمالكم" in one.text


def test_a_long_day_is_split_with_the_buttons_on_the_last_message():
    sessions = [session(f"s{i}", "A long title " * 20 + str(i), 9) for i in range(40)]
    replies = agenda.day_agenda(EN, DAY, sessions, NAV)
    assert len(replies) > 1
    assert_fits(replies)
    assert all(reply.buttons == () for reply in replies[:-1])
    assert data(replies[-1]) == ["ag:2026-11-30", "ag:2026-12-02"]
    text = "\n".join(reply.text for reply in replies)
    assert all(f"title {i}" in text for i in range(40))  # nothing lost at the cuts


def test_next_shows_what_runs_and_what_comes_with_how_long():
    reply = agenda.next_sessions(EN, NextUp((OPEN,), PRIVATE), at(9, 10))
    assert reply.text.startswith("<b>Now</b> (until 10:00)\n<b>09:00–10:00</b> Trade")
    assert "\n\n<b>Next</b>, in 2 hours\n<b>11:00–12:00</b> 🔒 Talks" in reply.text


def test_next_names_the_day_when_it_is_not_today():
    tomorrow = session("t", "Closing", 9, day=DAY + timedelta(days=1))
    reply = agenda.next_sessions(EN, NextUp((), tomorrow), at(20))
    assert reply.text.startswith("<b>Next</b>, Wed 2 Dec, in 13 hours\n")
    today = agenda.next_sessions(EN, NextUp((), PRIVATE), at(10, 35))
    assert today.text.startswith("<b>Next</b>, in 25 minutes\n")


def test_nothing_next_points_to_the_programme():
    assert agenda.next_sessions(EN, NextUp((), None), at(9)).text == (
        "Nothing more on your agenda. Use /program to see the programme."
    )


def test_bad_day_echoes_the_text_escaped():
    assert "I cannot read <x> " not in agenda.bad_day(EN, "<x>").text
    assert agenda.bad_day(EN, "<x>").text.startswith("I cannot read &lt;x&gt; as a day.")
