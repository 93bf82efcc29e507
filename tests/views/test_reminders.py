"""/remind: the setting in words, with each language's plural forms."""

import pytest

from bot.views import reminders
from tests.views.builders import AR, EN, FR, isolated


@pytest.mark.parametrize(
    ("lead", "text"),
    [
        (None, "Reminders are off. Send /remind 15 to turn them on again."),
        (1, "I will remind you 1 minute before each of your sessions."),
        (15, "I will remind you 15 minutes before each of your sessions."),
        (240, "I will remind you 240 minutes before each of your sessions."),
    ],
)
def test_english(lead, text):
    assert reminders.remind_set(EN, lead).text == text


def test_french_singular_and_plural():
    one, many = reminders.remind_set(FR, 1).text, reminders.remind_set(FR, 15).text
    assert "1 minute" in one and "minutes" not in one
    assert "15 minutes" in many


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (1, "قبل دقيقة واحدة"),  # one: spelled out
        (2, "قبل دقيقتين"),  # the dual
        (5, f"قبل {isolated('5')} دقائق"),  # few
        (15, f"قبل {isolated('15')} دقيقة"),  # many
    ],
)
def test_arabic_plural_forms(lead, expected):
    assert expected in reminders.remind_set(AR, lead).text


def test_usage_is_translated():
    assert reminders.remind_usage(FR).text != reminders.remind_usage(EN).text
    assert "240" in reminders.remind_usage(AR).text
