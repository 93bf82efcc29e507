"""/bilateral's form: its buttons carry the form's nonce; names and slots in venue time."""

from datetime import timedelta

from bot.domain.bilaterals import Slot
from bot.domain.models import Delegate
from bot.views import bilateral_form as views
from tests.views.builders import AR, EN, FR, assert_fits, at, booking, data, isolated

NONCE = "n0nce"


def test_delegations_a_page_at_a_time_with_the_nonce():
    names = [(i, f"Delegation {i}") for i in range(1, 20)]
    first = views.choose_delegation(EN, names, page=0, query="", nonce=NONCE)
    assert data(first) == [
        *(f"bl:w:{NONCE}:d:{i}" for i in range(1, 9)),
        f"bl:w:{NONCE}:g:1",
        f"bl:w:{NONCE}:x",
    ]
    last = views.choose_delegation(EN, names, page=7, query="", nonce=NONCE)  # clamped to 2
    assert [b.text for row in last.buttons[:-2] for b in row] == [
        f"Delegation {i}" for i in range(17, 20)
    ]
    assert data(last)[-2:] == [f"bl:w:{NONCE}:g:1", f"bl:w:{NONCE}:x"]


def test_the_query_is_echoed_escaped():
    found = views.choose_delegation(EN, [(1, "Chile")], page=0, query="<Ch", nonce=NONCE)
    assert found.text.endswith("Delegations matching “&lt;Ch”:")
    none = views.choose_delegation(EN, [], page=0, query="zz&", nonce=NONCE)
    assert "No delegation matches “zz&amp;”." in none.text
    assert data(none) == [f"bl:w:{NONCE}:x"]


def test_long_names_are_cut_in_buttons():
    reply = views.choose_delegation(EN, [(1, "A" * 50)], page=0, query="", nonce=NONCE)
    assert reply.buttons[0][0].text == "A" * 29 + "…"


def test_participants_are_ticked_and_counted():
    members = [Delegate("7", "Ana <Ruiz>", "Chile"), Delegate("8", "Bo", "Chile")]
    reply = views.choose_participants(EN, "Peru & <P>", members, {"7"}, NONCE)
    assert reply.text.startswith(
        "Who from your delegation takes part in the meeting with Peru &amp; &lt;P&gt;?"
    )
    assert [(b.text, b.data) for row in reply.buttons for b in row] == [
        ("✅ Ana <Ruiz>", f"bl:w:{NONCE}:t:0"),
        ("▫️ Bo", f"bl:w:{NONCE}:t:1"),
        ("Continue (1)", f"bl:w:{NONCE}:n"),
        ("Cancel", f"bl:w:{NONCE}:x"),
    ]


def test_topic_step_can_be_skipped():
    assert data(views.ask_topic(EN, NONCE)) == [f"bl:w:{NONCE}:k", f"bl:w:{NONCE}:x"]


def test_slots_are_labelled_in_venue_time():
    late = at(23, 30)  # 20:30 UTC; the label must not use the UTC clock
    slots = [
        Slot(int(late.timestamp()), int((late + timedelta(minutes=30)).timestamp()), "Room <B>"),
        Slot(int(at(1, day=late.date() + timedelta(days=1)).timestamp()), 0, "Room C"),
    ]
    reply = views.choose_slot(EN, "Peru", slots, NONCE)
    assert [(b.text, b.data) for row in reply.buttons for b in row] == [
        ("Tue 1 Dec 23:30 · Room <B>", f"bl:w:{NONCE}:s:0"),
        ("Wed 2 Dec 01:00 · Room C", f"bl:w:{NONCE}:s:1"),
        ("Cancel", f"bl:w:{NONCE}:x"),
    ]
    assert reply.text.startswith("Times that work for a meeting with Peru")


def test_no_slot_and_a_taken_slot_say_so():
    reply = views.choose_slot(EN, "Peru", [], NONCE, taken=True)
    lines = reply.text.split("\n")
    assert lines[0] == "⏳ That slot was taken a moment ago by another request."
    assert lines[1].startswith("No time works for these participants")
    assert data(reply) == [f"bl:w:{NONCE}:x"]


def test_slot_labels_in_french_and_arabic():
    slot = Slot(int(at(10).timestamp()), int(at(10, 30).timestamp()), "Room B")
    assert views.slot_label(FR, slot) == "mar. 1 déc. 10:00 · Room B"
    assert isolated("Room B") in views.slot_label(AR, slot)


def test_request_sent_says_until_when_it_is_held():
    assert views.request_sent(EN, booking()).text == (
        "✅ Request sent to Peru &lt;P&gt;: Tue 1 Dec, 10:00–10:30, Room B. The slot is held "
        "until they answer or until Tue 1 Dec 08:00. Follow it with /bilaterals."
    )


def test_decline_without_a_reason_button():
    assert data(views.ask_reason(EN, 12)) == ["bl:dn:12"]


def test_every_button_fits_with_a_long_nonce_and_many_members():
    members = [Delegate(str(i), "ü" * 100, "Chile") for i in range(200)]
    reply = views.choose_participants(EN, "Peru", members, set(), "n" * 16)
    assert_fits(reply)
