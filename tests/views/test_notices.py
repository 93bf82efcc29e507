"""Pushed messages: reminders, change notices, withdrawals and the morning digest, and
the discretion rule (SPEC §6) that keeps invited sessions' titles off the lock screen."""

import dataclasses
from datetime import timedelta

import pytest

from bot.domain.changes import SessionChanged, changes_between
from bot.domain.models import Audience, Session, SessionKind, SessionStatus
from bot.domain.rooms import Room
from bot.views import notices
from bot.views.where import room_button_data
from tests.views.builders import AR, DAY, EN, FR, assert_fits, data, isolated, session

OPEN = session("p1", "Trade & <Tariffs>", 9, room="Hall <A>")
SECRET = session(
    "b1", "Chile–Peru talks", 11, room="Room 2", kind=SessionKind.BILATERAL,
    audience=Audience.INVITED,
)  # fmt: skip
ANNEX = Room("Room 9", "Annex", "2", 40)


def changed(before: Session, **fields) -> SessionChanged:
    after = dataclasses.replace(before, **fields)
    return SessionChanged(before, after, changes_between(before, after))


def moved_a_day(before: Session, room: str) -> SessionChanged:
    return changed(
        before,
        start=before.start + timedelta(days=1),
        end=before.end + timedelta(days=1),
        room=room,
    )


def test_a_reminder_shows_the_session():
    reply = notices.reminder(EN, OPEN, discreet=True)
    assert reply.text == (
        "🔔 <b>Reminder</b>\n<b>09:00–10:00</b> Trade &amp; &lt;Tariffs&gt;\n📍 Hall &lt;A&gt;"
    )


def test_a_discreet_reminder_of_an_invited_session_shows_time_and_room_only():
    reply = notices.reminder(EN, SECRET, discreet=True)
    assert reply.text == (
        "🔔 <b>Reminder</b>: a private meeting at 11:00 in Room 2. Details: /next"
    )
    assert "talks" not in notices.reminder(FR, SECRET, discreet=True).text
    assert "talks" not in notices.reminder(AR, SECRET, discreet=True).text
    assert "Chile–Peru talks" in notices.reminder(EN, SECRET, discreet=False).text


def test_a_change_of_time_and_room_across_days():
    (reply,) = notices.changes(EN, [moved_a_day(OPEN, "Room 9")], discreet=True)
    assert reply.text.split("\n") == [
        "⚠️ <b>Programme change</b>",
        "",
        "<b>Trade &amp; &lt;Tariffs&gt;</b>",
        "🕘 Tue 1 Dec 09:00–10:00 → <b>Wed 2 Dec 09:00–10:00</b>",
        "📍 Hall &lt;A&gt; → <b>Room 9</b>",
    ]


def test_same_day_time_change_and_unchanged_room():
    later = changed(OPEN, start=OPEN.start + timedelta(hours=2), end=OPEN.end + timedelta(hours=2))
    (reply,) = notices.changes(EN, [later], discreet=True)
    assert "🕘 09:00–10:00 → <b>11:00–12:00</b>\n📍 Hall &lt;A&gt;" in reply.text


def test_a_room_change_only_keeps_the_time_line():
    (reply,) = notices.changes(
        EN, [changed(OPEN, room="Room 9")], discreet=True, rooms={ANNEX.key: ANNEX}
    )
    assert (
        "🕘 Tue 1 Dec, 09:00–10:00\n📍 Hall &lt;A&gt; → <b>Room 9</b>\nAnnex, floor 2" in reply.text
    )
    assert data(reply) == [room_button_data(ANNEX)]


def test_cancelled_and_reinstated():
    cancelled = changed(OPEN, status=SessionStatus.CANCELLED)
    (reply,) = notices.changes(EN, [cancelled], discreet=True, rooms={})
    assert reply.text.endswith(
        "<b>Trade &amp; &lt;Tariffs&gt;</b>\n"
        "❌ Cancelled (was Tue 1 Dec, 09:00–10:00, Hall &lt;A&gt;)"
    )
    back = SessionChanged(cancelled.after, OPEN, changes_between(cancelled.after, OPEN))
    (again,) = notices.changes(EN, [back], discreet=True)
    assert "\n✅ Back on the programme\n🕘 Tue 1 Dec, 09:00–10:00\n📍 Hall &lt;A&gt;" in again.text


def test_a_cancelled_session_gets_no_room_button():
    room = Room("Hall <A>", "Main", "0", 300)
    cancelled = changed(OPEN, status=SessionStatus.CANCELLED)
    (reply,) = notices.changes(EN, [cancelled], discreet=True, rooms={room.key: room})
    assert reply.buttons == ()


def test_discreet_changes_hide_invited_titles_and_point_to_the_agenda():
    items = [moved_a_day(SECRET, "Room 9"), changed(OPEN, status=SessionStatus.CANCELLED)]
    for translator in (EN, FR, AR):
        (reply,) = notices.changes(translator, items, discreet=True)
        assert "talks" not in reply.text
        assert "Room 9" in reply.text  # the time and the room are what it may say
        assert reply.text.endswith("/agenda")
    (english,) = notices.changes(EN, items, discreet=True)
    assert english.text.startswith(
        "⚠️ <b>Programme changes</b> (2)\n\nA private meeting on your agenda\n"
    )
    (open_,) = notices.changes(EN, items, discreet=False)
    assert "<b>Chile–Peru talks</b>" in open_.text and "Details: /agenda" not in open_.text


def test_a_discreet_cancellation_of_an_invited_session_is_hidden_too():
    (reply,) = notices.changes(EN, [changed(SECRET, status=SessionStatus.CANCELLED)], discreet=True)
    assert "talks" not in reply.text
    assert "❌ Cancelled (was Tue 1 Dec, 11:00–12:00, Room 2)" in reply.text


def test_arabic_change_heading_takes_the_dual_and_isolates_rooms():
    items = [changed(OPEN, room="Room 9"), changed(SECRET, room="Room 8")]
    (reply,) = notices.changes(AR, items, discreet=True)
    assert reply.text.startswith("⚠️ <b>تغييران في البرنامج</b>")
    assert f"{isolated('Hall &lt;A&gt;')} ← <b>{isolated('Room 9')}</b>" in reply.text


def test_many_changes_are_split_with_the_buttons_last():
    rooms = {ANNEX.key: ANNEX}
    items = [
        changed(session(f"s{i}", "A title " * 30 + str(i), 9), room="Room 9") for i in range(30)
    ]
    replies = notices.changes(EN, items, discreet=True, rooms=rooms)
    assert len(replies) > 1
    assert_fits(replies)
    assert all(reply.buttons == () for reply in replies[:-1])
    assert data(replies[-1]) == [room_button_data(ANNEX)]  # one button per distinct room


def test_withdrawn_names_only_what_the_delegate_knew():
    assert notices.withdrawn(EN, OPEN).text == (
        "ℹ️ <b>Trade &amp; &lt;Tariffs&gt;</b>, which you had added, is no longer on your agenda."
    )


@pytest.mark.parametrize("discreet", [True, False])
def test_the_digest_lists_the_day(discreet):
    (reply,) = notices.digest(EN, DAY, [OPEN, SECRET], discreet=discreet)
    head, count, _, *rest = reply.text.split("\n")
    assert head == "☀️ <b>Your day</b> — Tuesday, 1 December 2026"
    assert count == "2 sessions"
    assert rest[:2] == ["<b>09:00–10:00</b> Trade &amp; &lt;Tariffs&gt;", "📍 Hall &lt;A&gt;"]
    private = rest[3:5]
    if discreet:
        assert private == ["<b>11:00–12:00</b> 🔒 A private meeting", "📍 Room 2"]
    else:
        assert private == ["<b>11:00–12:00</b> 🔒 Chile–Peru talks", "📍 Room 2"]


def test_the_digest_in_french_and_arabic():
    (french,) = notices.digest(FR, DAY, [SECRET], discreet=True)
    assert french.text.startswith("☀️ <b>Votre journée</b> — mardi 1 décembre 2026\n1 séance\n")
    assert "talks" not in french.text and "🔒 Réunion privée" in french.text
    (arabic,) = notices.digest(AR, DAY, [OPEN, SECRET], discreet=True)
    assert "\nجلستان\n" in arabic.text and "talks" not in arabic.text


def test_a_long_digest_is_split():
    sessions = [session(f"s{i}", "Long title " * 40 + str(i), 9) for i in range(30)]
    replies = notices.digest(EN, DAY, sessions, discreet=True)
    assert len(replies) > 1
    assert_fits(replies)
