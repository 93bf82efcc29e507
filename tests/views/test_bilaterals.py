"""Bilateral requests and meetings: discreet pushes, a request's details, /bilaterals."""

import pytest

from bot.domain.bilaterals import BookingState
from bot.views import bilaterals as views
from tests.views.builders import (
    AR,
    CHILE,
    EN,
    FR,
    PERU,
    assert_fits,
    at,
    booking,
    data,
    isolated,
)

REQUEST = booking()
SECRETS = ("Chile", "Peru", "Fish", "Ana", "Luis")  # what a lock screen must not show


def test_a_discreet_request_push_shows_time_and_room_only():
    for translator in (EN, FR, AR):
        reply = views.request_push(translator, REQUEST, discreet=True)
        assert not any(secret in reply.text for secret in SECRETS)
        assert data(reply) == ["bl:v:12"]
    assert views.request_push(EN, REQUEST, discreet=True).text == (
        "🤝 A request for a private meeting: Tue 1 Dec, 10:00–10:30, Room B."
    )
    proposal = views.request_push(EN, REQUEST, discreet=True, proposal=True).text
    assert proposal.startswith("🤝 Another time was proposed for a private meeting:")


def test_an_open_request_push_is_the_details():
    assert views.request_push(EN, REQUEST, discreet=False) == views.request_details(EN, REQUEST)


def test_request_details_name_the_requester_their_people_and_the_topic_escaped():
    reply = views.request_details(EN, REQUEST)
    assert reply.text.split("\n") == [
        "🤝 <b>Bilateral meeting request</b> from Chile &amp; &lt;Co&gt;",
        "🕘 Tue 1 Dec, 10:00–10:30",
        "📍 Room B",
        "Their participants: Ana &lt;Ruiz&gt;",  # the requester's side only
        "Topic: Fish &lt;quotas&gt; &amp; more",
        "Please answer by Tue 1 Dec 08:00; until then the slot is held.",
    ]
    assert [(b.text, b.data) for row in reply.buttons for b in row] == [
        ("✅ Accept", "bl:a:12"),
        ("❌ Decline", "bl:d:12"),
        ("🕘 Propose another time", "bl:o:12"),
    ]
    assert "Topic" not in views.request_details(EN, booking(topic="")).text


def test_request_details_in_arabic_isolate_names():
    text = views.request_details(AR, REQUEST).text
    assert isolated("Chile &amp; &lt;Co&gt;") in text
    assert isolated("Room B") in text


@pytest.mark.parametrize(
    ("state", "start"),
    [
        (BookingState.CONFIRMED, "✅ A private meeting is confirmed: "),
        (BookingState.APPROVAL, "☑️ A private meeting was accepted and awaits"),
        (BookingState.DECLINED, "❌ A meeting request was declined: "),
        (BookingState.EXPIRED, "⌛ A meeting request expired without an answer: "),
        (BookingState.PENDING, "A meeting request changed: "),
    ],
)
@pytest.mark.parametrize("discreet", [True, False])
def test_state_pushes_are_always_discreet(state, start, discreet):
    text = views.answered_push(EN, booking(state=state), discreet=discreet).text
    assert text.startswith(start)
    assert "Tue 1 Dec, 10:00–10:30, Room B" in text and text.endswith("\nDetails: /bilaterals")
    assert not any(secret in text for secret in SECRETS)


def test_a_cancellation_push_does_not_name_who_cancelled():
    text = views.cancelled_push(EN, REQUEST, by="Peru <P>", discreet=False).text
    assert text.startswith("🚫 A private meeting was cancelled by the other delegation: ")
    assert not any(secret in text for secret in SECRETS)


def test_on_agenda_push_names_the_delegations_only_when_not_discreet():
    discreet = views.on_agenda_push(EN, REQUEST, discreet=True).text
    assert not any(secret in discreet for secret in SECRETS) and discreet.endswith("/agenda")
    open_ = views.on_agenda_push(EN, REQUEST, discreet=False).text
    assert open_.startswith(
        "🤝 A bilateral meeting Chile &amp; &lt;Co&gt; – Peru &lt;P&gt; is on your agenda: "
    )


def test_the_asked_delegation_can_answer_and_cancel_a_pending_request():
    (reply,) = views.delegation_bookings(EN, [REQUEST], PERU)
    assert reply.text.split("\n") == [
        "<b>Bilateral meetings</b>",
        "",
        "<b>1. Chile &amp; &lt;Co&gt; (they asked)</b>",
        "🕘 Tue 1 Dec, 10:00–10:30",
        "📍 Room B",
        "Participants: Ana &lt;Ruiz&gt;, Luis",
        "Topic: Fish &lt;quotas&gt; &amp; more",
        "⏳ waiting for an answer until Tue 1 Dec 08:00",
    ]
    assert [(b.text, b.data) for row in reply.buttons for b in row] == [
        ("Answer 1", "bl:v:12"),
        ("🚫 Cancel 1", "bl:c:12"),
    ]


def test_the_requester_can_only_cancel_and_settled_requests_have_no_buttons():
    (mine,) = views.delegation_bookings(EN, [REQUEST], CHILE)
    assert "<b>1. Peru &lt;P&gt; (you asked)</b>" in mine.text
    assert data(mine) == ["bl:c:12"]
    declined = booking(id=13, state=BookingState.DECLINED, reason="Busy <day>")
    (reply,) = views.delegation_bookings(EN, [declined], CHILE)
    assert reply.text.endswith("❌ declined: Busy &lt;day&gt;") and reply.buttons == ()


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (BookingState.APPROVAL, "☑️ accepted, waiting for the organizers"),
        (BookingState.CONFIRMED, "✅ confirmed"),
        (BookingState.DECLINED, "❌ declined"),
        (BookingState.CANCELLED, "🚫 cancelled"),
        (BookingState.EXPIRED, "⌛ expired"),
    ],
)
def test_state_labels(state, label):
    assert views.state_label(EN, booking(state=state)) == label


def test_no_bookings_says_how_to_ask():
    (reply,) = views.delegation_bookings(EN, [], CHILE)
    assert reply.text == (
        "<b>Bilateral meetings</b>\n"
        "Your delegation has no requests or meetings yet. Ask for one with /bilateral."
    )


def test_many_bookings_are_split_with_every_button_on_the_last():
    items = [booking(id=1000 + i, topic="t " * 100) for i in range(30)]
    replies = views.delegation_bookings(EN, items, PERU)
    assert len(replies) > 1
    assert_fits(replies)
    assert all(reply.buttons == () for reply in replies[:-1])
    assert len(data(replies[-1])) == 60


def test_numbers_and_labels_in_french_and_arabic():
    (french,) = views.delegation_bookings(FR, [REQUEST], PERU)
    assert "(leur demande)" in french.text and data(french) == ["bl:v:12", "bl:c:12"]
    (arabic,) = views.delegation_bookings(AR, [REQUEST], PERU)
    assert f"<b>{isolated('1')}. {isolated('Chile &amp; &lt;Co&gt;')} (طلبهم)</b>" in arabic.text


def test_awaiting_approval_links_to_the_venue_day():
    late = booking(start=at(1), end=at(1, 30))  # 22:00 UTC the day before
    text = views.awaiting_approval(EN, late).text
    assert text.startswith(
        "☑️ Bilateral booking #12 awaits your confirmation: Chile &amp; &lt;Co&gt;"
    )
    assert ", Tue 1 Dec, 01:00–01:30, Room B.\n" in text
    assert text.endswith("\n/bookings 2026-12-01")


def test_short_answers():
    assert views.heads_only(EN).text.startswith("Only heads of delegation")
    assert views.switched_off(FR).text != views.switched_off(EN).text
    assert views.booking_data("v", 2**63) == f"bl:v:{2**63}"
