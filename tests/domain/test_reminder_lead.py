import pytest

from bot.domain.reminders import MAX_LEAD, parse_lead, reminder_minutes


def test_effective_lead_is_own_else_the_summits_and_zero_is_off():
    assert reminder_minutes(None, 15) == 15  # never chose: the summit's default
    assert reminder_minutes(30, 15) == 30
    assert reminder_minutes(0, 15) is None  # /remind off


@pytest.mark.parametrize(
    ("words", "minutes"),
    [
        (["30"], 30),
        (["1"], 1),
        ([str(MAX_LEAD)], MAX_LEAD),
        (["off"], 0),
        (["OFF"], 0),
        (["0"], 0),
        (["٣٠"], 30),  # Arabic-Indic digits are decimals int() reads
    ],
)
def test_readable_leads(words, minutes):
    assert parse_lead(words) == minutes


@pytest.mark.parametrize(
    "words", [[], ["241"], ["-5"], ["soon"], ["²"], ["15", "minutes"], ["1.5"]]
)
def test_unreadable_leads(words):
    assert parse_lead(words) is None
