"""Every kind of message in all eight languages, through the real bot and the emulator."""

import re
import unicodedata

import pytest

from bot.i18n import SUPPORTED_LANGUAGES
from tests.e2e.test_broadcast import confirm
from tests.support.summit_files import DAY1

pytestmark = pytest.mark.e2e

# Values that come from the organizers' files or the test itself, not from the catalogs.
DATA = [
    "Test Summit",
    "Alice Arnaud",
    "Xandria",
    "Opening plenary",
    "Séance plénière d'ouverture",
    "Cyber defense & <resilience>",
    "Bilateral: Xandria – Yoland",
    "Cancelled workshop",
    "Briefing on logistics",
    "Plenary Hall",
    "Room A",
    "Room B",
    "Room C",
    "Room Z",
    "Salon 3",
    "Coffee is served in the lobby.",
    "Cyber",
    "Test",
    "Summit",
]
SCRIPTS = {"ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "ru": "CYRILLIC"}
# Phrases of the English templates that must not survive in a Latin-script translation.
ENGLISH = [
    "your ",
    " the ",
    "Reminder",
    "Announcement from",
    "Programme change",
    "What this bot",
    "Where you need",
    "sessions on",
    "session on",
    "Welcome",
    "cancelled",
    "Delivered",
]


def strip_data(text: str) -> str:
    for value in sorted(DATA, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"/\w+", " ", text)  # commands stay as typed
    return re.sub(r"[A-Z]{2,}[A-Z_:]*|HH:MM|YYYY-MM-DD\S*", " ", text)  # literal syntax tokens


def assert_in_language(language: str, text: str) -> None:
    rest = strip_data(text)
    letters = [c for c in rest if c.isalpha()]
    if language in SCRIPTS:
        script = SCRIPTS[language]
        foreign = [c for c in letters if script not in unicodedata.name(c, "")]
        assert len(foreign) <= len(letters) * 0.1, (language, "".join(foreign)[:80], text)
    elif language != "en":
        left = [phrase for phrase in ENGLISH if phrase in rest]
        assert not left, (language, left, text)
    assert letters, text


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
async def test_help_agenda_reminder_change_and_broadcast_in(summit, language):
    alice = await summit.register("alice", language_code=f"{language}-XX")  # IETF tag
    await alice.send("/help")
    assert_in_language(language, (await alice.reply()).text)
    await alice.send(f"/agenda {DAY1.isoformat()}")
    assert_in_language(language, (await alice.reply()).text)
    # A 60-minute lead makes the session in 30 minutes due at once: a reminder arrives.
    await alice.send("/remind 60")
    assert_in_language(language, (await alice.reply()).text)
    reminder = await alice.reply(timeout=10)
    assert "Briefing on logistics" in reminder.text
    assert_in_language(language, reminder.text)
    await summit.organizer.send("/move cyber Room Z")
    await summit.organizer.reply()
    notice = await alice.reply()
    assert "Room Z" in notice.text
    assert_in_language(language, notice.text)
    await confirm(summit.organizer, "/broadcast delegation:Xandria Coffee is served in the lobby.")
    frame = await alice.reply()
    assert "Coffee is served in the lobby." in frame.text
    assert_in_language(language, frame.text)


async def test_command_menu_in_every_language(summit):
    menus = {
        language: summit.emulator.commands(language_code=language)
        for language in SUPPORTED_LANGUAGES
    }
    default = summit.emulator.commands()
    assert [name for name, _ in default] == [name for name, _ in menus["en"]]
    for language, commands in menus.items():
        assert [name for name, _ in commands] == [name for name, _ in default]
        assert_in_language(language, " ".join(description for _, description in commands))


async def test_language_buttons_are_in_their_own_language_and_the_choice_is_kept(summit):
    alice = await summit.register("alice")
    await alice.send("/language")
    menu = await alice.reply()
    labels = menu.button_texts()
    assert {
        "English",
        "العربية",
        "Français",
        "Türkçe",
        "فارسی",
        "اردو",
        "Bahasa Indonesia",
        "Русский",
    } <= set(labels)
    await alice.press(menu, "Русский")
    assert_in_language("ru", (await alice.wait_edit(menu)).text)
    await alice.send("/help")
    assert_in_language("ru", (await alice.reply()).text)
    await alice.send("/language fa-IR")
    assert_in_language("fa", (await alice.reply()).text)


async def test_arabic_keeps_latin_values_isolated(summit):
    alice = await summit.register("alice", language_code="ar")
    await alice.send(f"/agenda {DAY1.isoformat()}")
    text = (await alice.reply()).text
    assert "\u2068Room A\u2069" in text
