"""/remind: the delegate's reminder setting and how to change it."""

from __future__ import annotations

from bot.i18n import Translator
from bot.reply import Reply


def remind_set(t: Translator, lead: int | None) -> Reply:
    """The delegate's effective lead (`bot.domain.reminders.reminder_minutes`); None is off."""
    if lead is None:
        return Reply(t.gettext("Reminders are off. Send /remind 15 to turn them on again."))
    value = lead
    return Reply(
        t.ngettext(
            "I will remind you {count} minute before each of your sessions.",
            "I will remind you {count} minutes before each of your sessions.",
            value,
        )
    )


def remind_usage(t: Translator) -> Reply:
    return Reply(
        t.gettext(
            "Write /remind MINUTES (from 1 to 240) to choose how long before each session "
            "I remind you, or /remind off for no reminders."
        )
    )
