"""/program: a page of the day, add/remove buttons, organizers' ✏️, pages and days."""

from datetime import date

from bot.domain.agenda import DayNavigation
from bot.domain.models import Audience, Session, SessionKind, SessionStatus
from bot.views import browse
from bot.views.organizer_edits import EDIT_CALLBACK, edit_button
from bot.views.session_keys import session_key
from tests.views.builders import AR, DAY, EN, FR, assert_fits, buttons, data, isolated, session

NAV = DayNavigation(date(2026, 11, 30), date(2026, 12, 2))
OPEN = session("p1", "Trade & <Tariffs>", 9, room="Hall <A>", track="Economy")
PLENARY = session("op", "Opening", 8, kind=SessionKind.PLENARY)
PRIVATE = session(
    "b1", "Secret talks", 11, room="Room 2", kind=SessionKind.BILATERAL, audience=Audience.INVITED
)
GONE = session("p3", "Gone", 13, room="Room 3", status=SessionStatus.CANCELLED)


def labels(reply):
    return [(button.text, button.data) for button in buttons(reply)]


def test_a_delegate_page_lists_sessions_with_marks_and_escaped_titles():
    reply = browse.program_page(EN, DAY, [(OPEN, False), (PRIVATE, True), (GONE, False)], 0, NAV)
    assert reply.text.split("\n\n") == [
        "<b>Programme — Tuesday, 1 December 2026</b>\n"
        "Tap a session to add it to your agenda or remove it.",
        "1. ▫️ <b>09:00–10:00</b> Trade &amp; &lt;Tariffs&gt;\n📍 Hall &lt;A&gt; · Economy",
        "2. ✅ <b>11:00–12:00</b> Secret talks\n📍 Room 2",
        "3. <b>13:00–14:00</b> <s>Gone</s> — cancelled\n📍 Room 3",
    ]
    assert "🆔" not in reply.text  # ids are for organizers


def test_buttons_add_or_remove_by_key_and_labels_are_plain_text():
    reply = browse.program_page(EN, DAY, [(OPEN, False), (PRIVATE, True), (GONE, False)], 0, NAV)
    assert labels(reply) == [
        ("➕ 1. Trade & <Tariffs> — add", f"pg:t:2026-12-01:0:{session_key('p1')}"),
        ("✅ 2. Secret talks — remove", f"pg:t:2026-12-01:0:{session_key('b1')}"),
        # the cancelled session has no button; the last day's arrows close the page
        ("◀ Mon 30 Nov", "pg:v:2026-11-30:0"),
        ("Wed 2 Dec ▶", "pg:v:2026-12-02:0"),
    ]


def test_an_open_plenary_is_fixed_on_the_agenda():
    reply = browse.program_page(EN, DAY, [(PLENARY, False)], 0, DayNavigation(None, None))
    assert "1. ✅ <b>08:00–09:00</b> Opening" in reply.text
    assert reply.buttons == ()
    assert browse.fixed(PLENARY) and not browse.fixed(OPEN)


def test_long_titles_are_shortened_in_buttons_and_long_ids_still_fit():
    long = session("x" * 500, "A" * 40, 9)
    reply = browse.program_page(EN, DAY, [(long, False)], 0, NAV, organizer=True)
    add, edit = reply.buttons[0]
    assert add.text == "➕ 1. " + "A" * 27 + "… — add"
    assert edit.text == "✏️ 1" and edit.data == f"{EDIT_CALLBACK}e:{session_key('x' * 500)}"
    assert_fits(reply)
    assert "🆔 <code>" + "x" * 500 + "</code>" in reply.text


def test_organizers_see_ids_and_locks_but_cannot_add_invited_sessions_they_do_not_attend():
    reply = browse.program_page(EN, DAY, [(PRIVATE, False), (GONE, False)], 0, NAV, organizer=True)
    assert "Tap ✏️ to move, reschedule or cancel a session" in reply.text
    assert "📍 Room 2\n🔒 🆔 <code>b1</code>" in reply.text
    # an invited session gets only ✏️ (with its title); a cancelled one no button at all
    assert reply.buttons[0] == (edit_button(EN, "✏️ 1. Secret talks", PRIVATE),)
    assert len(reply.buttons) == 2  # the ✏️ row and the day arrows


def test_an_organizer_without_a_delegate_record_gets_no_agenda_buttons():
    reply = browse.program_page(EN, DAY, [(OPEN, False)], 0, NAV, organizer=True, delegate=False)
    assert [b.text for b in reply.buttons[0]] == ["✏️ 1. Trade & <Tariffs>"]


def day_of(count: int) -> list[tuple[Session, bool]]:
    return [(session(f"s{i}", f"Talk {i}", 9), False) for i in range(count)]


def test_pages_of_eight_numbered_on_with_more_and_previous():
    items = day_of(20)
    first = browse.program_page(EN, DAY, items, 0, NAV)
    assert first.text.count("▫️") == browse.PAGE_SIZE
    assert labels(first)[-2:] == [
        ("◀ Mon 30 Nov", "pg:v:2026-11-30:0"),
        ("⬇ More", "pg:v:2026-12-01:1"),
    ]
    middle = browse.program_page(EN, DAY, items, 1, NAV)
    assert "\n\n9. ▫️" in middle.text and "Talk 8" in middle.text and "Talk 7" not in middle.text
    assert data(middle)[0] == f"pg:t:2026-12-01:1:{session_key('s8')}"
    assert labels(middle)[-2:] == [
        ("⬆ Previous", "pg:v:2026-12-01:0"),
        ("⬇ More", "pg:v:2026-12-01:2"),
    ]
    last = browse.program_page(EN, DAY, items, 99, NAV)  # clamped to the last page
    assert "\n\n17. ▫️" in last.text and last.text.count("▫️") == 4
    assert labels(last)[-1] == ("Wed 2 Dec ▶", "pg:v:2026-12-02:0")
    assert_fits([first, middle, last])


def test_an_empty_day_says_so():
    reply = browse.program_page(EN, DAY, [], 0, DayNavigation(None, None))
    assert reply.text == "<b>Programme — Tuesday, 1 December 2026</b>\nNo sessions this day."
    assert reply.buttons == ()


def test_french_and_arabic_pages():
    french = browse.program_page(FR, DAY, [(OPEN, False)], 0, NAV)
    assert french.text.startswith("<b>Programme du mardi 1 décembre 2026</b>")
    assert buttons(french)[0].text == "➕ 1. Trade & <Tariffs> — ajouter"
    arabic = browse.program_page(AR, DAY, [(OPEN, False)], 0, NAV)
    assert isolated("Trade &amp; &lt;Tariffs&gt;") in arabic.text
    assert buttons(arabic)[0].text == f"➕ {isolated('1')}. {isolated('Trade & <Tariffs>')} — إضافة"


def test_answers_to_a_press_are_plain_text():
    assert browse.added(EN, OPEN) == "Added to your agenda: Trade & <Tariffs>"
    assert browse.removed(EN, OPEN) == "Removed from your agenda: Trade & <Tariffs>"
    others = [session(f"o{i}", f"Other {i}", 9 + i) for i in range(5)]
    text = browse.overlaps(EN, OPEN, others)
    assert "09:00 Other 0, 10:00 Other 1, 11:00 Other 2 on your agenda" in text
    assert "Other 3" not in text  # three at most
