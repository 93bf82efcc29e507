"""/language: the menu of languages and its answers."""

from __future__ import annotations

from bot.i18n import Translator, language_name
from bot.reply import Button, Reply

LANGUAGE_CALLBACK = "lang:"


def language_menu(t: Translator, languages: tuple[str, ...]) -> Reply:
    buttons = [Button(language_name(code), f"{LANGUAGE_CALLBACK}{code}") for code in languages]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Reply(t.gettext("Choose your language:"), rows)


def language_set(t: Translator) -> Reply:
    return Reply(t.gettext("Done: I will write to you in English."))


def unknown_language(t: Translator, code: str, languages: tuple[str, ...]) -> Reply:
    return Reply(
        t.gettext(
            "I do not speak {code}. Available: {languages}.",
            code=code,
            languages=", ".join(languages),
        )
    )
