"""What a user is told when the bot fails, or their command is too long to read."""

from __future__ import annotations

from bot.i18n import Html, Translator
from bot.reply import Reply


def something_went_wrong(t: Translator) -> Reply:
    return Reply(t.gettext("Sorry, something went wrong on my side. Please try again in a moment."))


def command_too_long(t: Translator, length: int, limit: int) -> Reply:
    return Reply(
        t.gettext(
            "That command is {length} characters long; commands are at most {limit}. "
            "Please send it again, shorter.",
            length=Html(t.number(length)),
            limit=Html(t.number(limit)),
        )
    )
