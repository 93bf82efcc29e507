"""/forget: the confirmation and its answers."""

from __future__ import annotations

from bot.i18n import Translator
from bot.reply import Button, Reply

FORGET_CALLBACK = "fg:"


def forget_confirm(t: Translator) -> Reply:
    return Reply(
        t.gettext(
            "Do you want me to forget this Telegram account? I will delete your link to the "
            "summit, your preferences and any messages still waiting for you. Your "
            "registration with the organizers stays; to use the bot again you will need a "
            "new invite code."
        ),
        (
            (
                Button(t.gettext("Yes, forget me"), f"{FORGET_CALLBACK}yes"),
                Button(t.gettext("No, keep it"), f"{FORGET_CALLBACK}no"),
            ),
        ),
    )


def forgotten(t: Translator) -> Reply:
    return Reply(
        t.gettext(
            "Done: I have forgotten this account. Thank you for attending. To come back, "
            "ask the organizers' desk for a new invite code."
        )
    )


def forget_kept(t: Translator) -> Reply:
    return Reply(t.gettext("Nothing was deleted."))


def nothing_to_forget(t: Translator) -> Reply:
    return Reply(t.gettext("I keep nothing about this account."))
