"""/calendar: the file's caption, plural forms, the summit's name, and the empty agenda."""

import pytest

from bot.views import calendar
from tests.views.builders import AR, EN, FR, isolated

CAPTION_LIMIT = 1024  # Telegram's limit for a document's caption


def test_the_caption_names_the_summit_escaped_and_counts_the_sessions():
    text = calendar.calendar_caption(EN, 3, "Summit <2026> & more").text
    assert text.split("\n") == [
        "<b>Summit &lt;2026&gt; &amp; more</b>",
        "Your agenda: 3 sessions. Open the file to add them to your calendar.",
        "After a change, send /calendar again: your calendar updates the events "
        "instead of adding them twice.",
    ]


def test_one_session_is_singular():
    text = calendar.calendar_caption(EN, 1, "S").text
    assert "Your agenda: 1 session. Open the file to add it to your calendar." in text


@pytest.mark.parametrize("translator", [EN, FR, AR], ids=["en", "fr", "ar"])
def test_a_huge_summit_name_is_cut_and_the_caption_stays_within_its_limit(translator):
    reply = calendar.calendar_caption(translator, 12, "<&>" * 2000)
    assert len(reply.text) <= CAPTION_LIMIT
    assert "…" in reply.text.split("\n")[0]


def test_a_name_at_the_limit_is_kept_whole():
    name = "N" * calendar.MAX_SUMMIT_NAME
    assert calendar.calendar_caption(EN, 1, name).text.startswith(f"<b>{name}</b>\n")


def test_french_and_arabic_plurals():
    assert "Votre agenda\xa0: 2 séances." in calendar.calendar_caption(FR, 2, "S").text
    arabic = calendar.calendar_caption(AR, 2, "Summit").text
    assert arabic.startswith(f"<b>{isolated('Summit')}</b>\n")
    assert "جلستان" in arabic  # the dual
    assert "جلسة واحدة" in calendar.calendar_caption(AR, 1, "S").text


def test_nothing_to_export_points_to_the_programme():
    assert calendar.nothing_to_export(EN).text == (
        "Nothing is on your agenda yet, so there is no calendar to send. "
        "Use /program to see the programme."
    )
    assert calendar.FILE_NAME.isascii()
