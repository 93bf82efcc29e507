"""/start: the welcome, and every answer to an invite code that does not register."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Delegate
from bot.i18n import Html, Translator
from bot.reply import Reply


def welcome(t: Translator, delegate: Delegate, summit: str) -> Reply:
    return Reply(
        t.gettext("Welcome, {name}!", name=delegate.name)
        + "\n"
        + t.gettext(
            "You are registered for {summit} with the delegation of {delegation}.",
            summit=summit,
            delegation=delegate.delegation,
        )
        + "\n\n"
        + t.gettext("Send /agenda for your day or /next for your next session. /help lists more.")
    )


def already_registered(t: Translator, delegate: Delegate) -> Reply:
    return Reply(
        t.gettext("You are already registered as {name}.", name=delegate.name)
        + " "
        + t.gettext("Send /agenda for your day or /next for your next session.")
    )


def other_account(t: Translator, delegate: Delegate) -> Reply:
    return Reply(
        t.gettext(
            "This Telegram account is already registered as {name}. An invite code cannot "
            "be used for a second person on the same account.",
            name=delegate.name,
        )
    )


def code_used(t: Translator) -> Reply:
    return Reply(
        t.gettext(
            "This invite code has already been used. Each code works once. If it was not "
            "you who used it, please contact the organizers' desk for a new one."
        )
    )


def code_unknown(t: Translator) -> Reply:
    return Reply(
        t.gettext(
            "I do not recognise this invite code. Please check the link the organizers "
            "sent you, or ask their desk for help."
        )
    )


def code_malformed(t: Translator) -> Reply:
    return Reply(
        t.gettext(
            "This does not look like an invite code. A code has 16 letters, digits, "
            "dashes or underscores; the easiest way is to open the invitation link."
        )
    )


def locked_out(t: Translator, until: datetime) -> Reply:
    return Reply(
        t.gettext(
            "Too many unsuccessful attempts. For your security, registration is paused "
            "for this account until {time}. The organizers' desk can help.",
            time=Html(t.time(until)),
        )
    )
