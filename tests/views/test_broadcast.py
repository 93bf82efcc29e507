"""Broadcasts: the preview and its buttons, what delegates get, progress, status, /stats."""

import pytest

from bot.domain.broadcasts import Audience, AudienceKind, Progress
from bot.domain.sources import SourceState
from bot.views import broadcast
from tests.views.builders import AR, EN, FR, assert_fits, at, isolated

ALL = Audience(AudienceKind.ALL)
CHILE = Audience(AudienceKind.DELEGATION, "Chile & <Co>")


@pytest.mark.parametrize(
    ("audience", "label"),
    [
        (ALL, "all delegates"),
        (CHILE, "the delegation of Chile &amp; &lt;Co&gt;"),
        (Audience(AudienceKind.SESSION, "panel-3"), "the delegates of session panel-3"),
        (Audience(AudienceKind.TRACK, "Energy"), "the delegates of track Energy"),
    ],
)
def test_audience_labels(audience, label):
    assert broadcast.audience_label(EN, audience) == label


def test_the_organizers_text_is_escaped_not_interpreted():
    reply = broadcast.announcement(EN, "Buses <b>now</b> & later", urgent=False, broadcast_id=5)
    assert reply.text == (
        "📢 <b>Announcement from the organizers</b>\n\nBuses &lt;b&gt;now&lt;/b&gt; &amp; later"
    )
    assert reply.buttons == ()


def test_an_urgent_notice_has_an_acknowledge_button():
    reply = broadcast.announcement(EN, "Fire drill", urgent=True, broadcast_id=5)
    assert reply.text.startswith("🚨 <b>Urgent notice from the organizers</b>\n\n")
    ((ack,),) = reply.buttons
    assert (ack.text, ack.data) == ("✅ Acknowledge", "ack:5")


def test_the_preview_shows_what_is_sent_with_send_and_cancel():
    reply = broadcast.preview(EN, CHILE, "Hi & <b>", 1, urgent=False, broadcast_id=7)
    assert reply.text == (
        "<b>Broadcast — preview</b>\nTo the delegation of Chile &amp; &lt;Co&gt;: 1 recipient."
        "\n\n📢 <b>Announcement from the organizers</b>\n\nHi &amp; &lt;b&gt;"
    )
    ((send, cancel),) = reply.buttons
    assert (send.text, send.data) == ("Send to 1 person", "bc:go:7")
    assert (cancel.text, cancel.data) == ("Cancel", "bc:no:7")
    many = broadcast.preview(EN, ALL, "x", 250, urgent=True, broadcast_id=2**62)
    assert "To all delegates: 250 recipients." in many.text
    assert many.buttons[0][0].text == "Send to 250 people"
    assert_fits(many)


def test_the_longest_allowed_text_fits_in_the_preview():
    reply = broadcast.preview(EN, ALL, "x" * broadcast.MAX_TEXT, 3, urgent=True, broadcast_id=1)
    assert_fits(reply)


def test_preview_in_french_and_arabic():
    french = broadcast.preview(FR, ALL, "x", 2, urgent=False, broadcast_id=1)
    assert french.buttons[0][0].text == "Envoyer à 2 personnes"
    arabic = broadcast.preview(AR, CHILE, "Hello", 1, urgent=True, broadcast_id=1)
    assert isolated("Chile &amp; &lt;Co&gt;") in arabic.text
    assert arabic.text.endswith(isolated("Hello"))  # Latin text keeps its direction


def test_progress_counts_and_acknowledgements_only_when_urgent():
    sending = broadcast.progress(EN, ALL, Progress(3, 1, 1, 1, 0, 1), urgent=True)
    assert sending.text.split("\n") == [
        "⏳ Sending to all delegates: 3 recipients…",
        "Delivered: 1",
        "Waiting: 1",
        "Unreachable (blocked the bot): 1",
        "Failed: 0",
        "Acknowledged: 1",
    ]
    done = broadcast.progress(EN, ALL, Progress(1, 1, 0, 0, 0, 0), urgent=False)
    assert done.text.startswith("✅ Sent to all delegates: 1 recipient.\n")
    assert "Acknowledged" not in done.text
    assert (
        "1\u202f234"
        in broadcast.progress(FR, ALL, Progress(1234, 1234, 0, 0, 0, 0), urgent=False).text
    )


def test_urgent_status_lists_who_has_not_acknowledged():
    pending = [("Ana <R>", "Chile", "unreachable"), ("Bo", "Peru", "waiting"), ("Cy", "X", "sent")]
    (reply,) = broadcast.urgent_status(EN, ALL, pending, 5)
    assert reply.text.split("\n") == [
        "3 of 5 recipients have not acknowledged yet:",
        "",
        "• Ana &lt;R&gt; (Chile) — blocked the bot",
        "• Bo (Peru) — not delivered yet",
        "• Cy (X)",
    ]
    (everyone,) = broadcast.urgent_status(EN, ALL, [], 5)
    assert everyone.text == "Everyone has acknowledged the urgent notice to all delegates."


def test_a_long_urgent_status_is_split():
    pending = [(f"Delegate {i} " + "n" * 60, "Chile", "failed") for i in range(200)]
    replies = broadcast.urgent_status(EN, ALL, pending, 300)
    assert len(replies) > 1
    assert_fits(replies)
    assert replies[0].text.startswith("200 of 300 recipients")


def test_unknown_audience_is_cut_and_escaped():
    text = broadcast.unknown_audience(EN, Audience(AudienceKind.TRACK, "<" * 500)).text
    assert text.startswith("I do not know track:" + "&lt;" * 74 + ". Check the name")


def test_too_long_names_both_numbers():
    text = broadcast.too_long(EN, 5000).text
    assert "5,000 characters" in text and "3,500" in text


def test_stats_with_the_source():
    source = SourceState(
        "https://x.example/?a=1&b=<2>", success_at=at(9), error_at=at(10), error="HTTP <500>"
    )
    counts = {"waiting": 1, "sending": 2, "sent": 30, "failed": 4}
    lines = broadcast.stats(EN, 10, 12, counts, 1, source, lost_replies=2).text.split("\n")
    assert lines == [
        "<b>Statistics</b>",
        "Delegates registered: 10 of 12",
        "Delegates unreachable (blocked the bot): 1",
        "Messages waiting: 3",
        "Messages sent: 30",
        "Messages failed: 4",
        "Replies that could not be delivered: 2",
        "",
        "Programme source: https://x.example/?a=1&amp;b=&lt;2&gt;",
        "Last update from the source: Tue 1 Dec 09:00",
        "Last error of the source (Tue 1 Dec 10:00): HTTP &lt;500&gt;",
    ]
    never = broadcast.stats(EN, 0, 0, {}, 0, SourceState("https://x.example/")).text
    assert never.endswith("The source has not been fetched successfully yet.")
    assert "Programme source" not in broadcast.stats(EN, 0, 0, {}, 0).text


@pytest.mark.xfail(
    strict=True,
    reason="MAX_TEXT counts the organizer's raw text, but the escaped HTML of a text full "
    "of & or < is up to 5 times longer: reply.fit measures the HTML source and cuts an "
    "accepted notice into several messages (the ✅ Acknowledge button only on the last), "
    "although Telegram would take it as one",
)
def test_an_accepted_text_full_of_ampersands_is_still_one_message():
    from bot.reply import fit

    reply = broadcast.announcement(EN, "&" * broadcast.MAX_TEXT, urgent=True, broadcast_id=1)
    assert len(fit(reply)) == 1
