"""Views of the short answers: help, registration, language, /forget, /remind, errors."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import Delegate, Role, Session
from bot.i18n import Catalogs
from bot.reply import MAX_CALLBACK_DATA
from bot.views import (
    bilateral_form,
    bilateral_rooms,
    delegation,
    errors,
    forget,
    help,
    language,
    registration,
    reminders,
)

CATALOGS = Catalogs.load(ZoneInfo("Asia/Riyadh"))
T = CATALOGS.get("en")
ANA = Delegate(id="7", name="Ana <Ruiz>", delegation="Chile", role=Role.HEAD)


def test_help_lists_the_commands_of_each_role():
    guest = help.help_text(T, registered=False, summit="Summit").text
    assert help.not_registered_text(T) in guest
    assert "/agenda" not in guest
    delegate = help.help_text(T, registered=True, summit="Summit").text
    assert all(f"/{command} " in delegate for command, _ in help.DELEGATE_COMMANDS)
    assert "/broadcast" not in delegate and "/bilateral " not in delegate
    everything = help.help_text(T, registered=True, summit="S", organizer=True, head=True).text
    assert all(f"/{command} " in everything for command, _ in help.ORGANIZER_COMMANDS)
    assert all(f"/{command} " in everything for command, _ in help.HEAD_COMMANDS)


def test_unknown_command_says_so_before_the_help():
    reply = help.unknown_command(T, registered=False, summit="Summit")
    assert reply.text.startswith("I do not know that command.")
    assert reply.text.endswith(help.help_text(T, registered=False, summit="Summit").text)


def test_write_privately_links_to_the_bot():
    (row,) = help.write_privately(T, "summit_bot").buttons
    assert row[0].url == "https://t.me/summit_bot"


def test_registration_answers_name_the_delegate_escaped():
    welcome = registration.welcome(T, ANA, "Summit").text
    assert "Ana &lt;Ruiz&gt;" in welcome and "Chile" in welcome
    assert "Ana &lt;Ruiz&gt;" in registration.already_registered(T, ANA).text
    assert "Ana &lt;Ruiz&gt;" in registration.other_account(T, ANA).text


def test_locked_out_says_until_when_in_venue_time():
    until = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # 12:30 in Riyadh
    assert "12:30" in registration.locked_out(T, until).text


def test_language_menu_has_a_button_per_language_two_a_row():
    languages = CATALOGS.languages
    reply = language.language_menu(T, languages)
    data = [button.data for row in reply.buttons for button in row]
    assert data == [f"{language.LANGUAGE_CALLBACK}{code}" for code in languages]
    assert all(len(row) <= 2 for row in reply.buttons)


def test_unknown_language_lists_the_available_ones():
    assert "en, ar" in language.unknown_language(T, "xx", ("en", "ar")).text


def test_forget_asks_with_yes_and_no():
    ((yes, no),) = forget.forget_confirm(T).buttons
    assert (yes.data, no.data) == (f"{forget.FORGET_CALLBACK}yes", f"{forget.FORGET_CALLBACK}no")


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (None, "Reminders are off."),
        (1, "1 minute before"),
        (30, "30 minutes before"),
    ],
)
def test_remind_set_says_the_effective_lead(lead, expected):
    assert expected in reminders.remind_set(T, lead).text


def test_remind_usage_names_the_limits():
    assert "from 1 to 240" in reminders.remind_usage(T).text


def test_command_too_long_names_both_lengths():
    text = errors.command_too_long(T, 512, 300).text
    assert "512" in text and "300" in text


def test_bilateral_form_buttons_fit_whatever_the_names():
    names = [(i, "Delegation " + "ü" * 80) for i in range(20)]
    reply = bilateral_form.choose_delegation(T, names, page=1, query="", nonce="n" * 8)
    for row in reply.buttons:
        for button in row:
            assert button.data is None or len(button.data.encode()) <= MAX_CALLBACK_DATA


def test_bookings_bad_date_echoes_the_text():
    assert "“12/01”" in bilateral_rooms.bad_date(T, "12/01").text


def test_delegation_shows_now_and_next():
    start = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    now = Session("a", "Opening", start, start + timedelta(hours=1), "Hall A")
    later = Session("b", "Panel", start + timedelta(hours=3), start + timedelta(hours=4), "B")
    member = Delegate(id="8", name="Bo", delegation="Chile")
    (reply,) = delegation.delegation(T, "Chile", [(ANA, now, later), (member, None, None)])
    assert "Opening" in reply.text and "Panel" in reply.text
    assert "head of delegation" in reply.text
    assert "nothing more on their agenda" in reply.text
