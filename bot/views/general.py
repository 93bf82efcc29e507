"""Help, registration and the other short answers."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Delegate
from bot.i18n import N_, Html, Translator, language_name
from bot.views.reply import Button, Reply

LANGUAGE_CALLBACK = "lang:"

# The command menu (setMyCommands) and /help describe the same commands.
DELEGATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("agenda", N_("Your agenda for today (or tomorrow, or a date)")),
    ("next", N_("Where you need to be next")),
    ("where", N_("Where a room is: the building, a map and directions")),
    ("program", N_("The whole programme: add sessions to your agenda")),
    ("remind", N_("How long before each session I remind you")),
    ("calendar", N_("Your agenda for your phone's calendar")),
    ("language", N_("Choose your language")),
    ("forget", N_("Make me forget this account")),
    ("help", N_("What this bot can do")),
)
ORGANIZER_COMMANDS: tuple[tuple[str, str], ...] = (
    (
        "broadcast",
        N_("AUDIENCE TEXT — a message to all, delegation:NAME, session:ID or track:NAME"),
    ),
    ("urgent", N_("AUDIENCE TEXT — an urgent notice, sent first, with acknowledgement")),
    ("urgent_status", N_("Who has not acknowledged the last urgent notice")),
    ("move", N_("SESSION_ID NEW ROOM — change a session's room")),
    ("reschedule", N_("SESSION_ID START [END] — change a session's time")),
    ("cancel", N_("SESSION_ID — cancel a session")),
    ("stats", N_("Registrations and message delivery")),
    ("bookings", N_("[YYYY-MM-DD] — bilateral room bookings by room and time")),
)
HEAD_COMMANDS: tuple[tuple[str, str], ...] = (
    ("delegation", N_("Your delegation's members: where each is now and next")),
    ("bilateral", N_("Request a bilateral meeting with another delegation")),
    ("bilaterals", N_("Your delegation's bilateral requests and meetings")),
)
GUEST_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Register with your invite code")),
    ("language", N_("Choose your language")),
    ("help", N_("What this bot can do")),
)


def help_text(
    t: Translator, *, registered: bool, summit: str, organizer: bool = False, head: bool = False
) -> Reply:
    lines = [t.gettext("<b>{summit}</b>", summit=summit), ""]
    if registered:
        for command, description in DELEGATE_COMMANDS:
            lines.append(f"/{command} — {t.gettext(description)}")
        lines.append("")
        lines.append(
            t.gettext(
                "Tip: /agenda tomorrow, or /agenda {example} for a given day.",
                example="2026-12-01",
            )
        )
    else:
        lines.append(
            t.gettext(
                "I am the summit's assistant: your personal agenda, room changes and reminders."
            )
        )
        lines.append("")
        lines.append(not_registered_text(t))
    if head:
        lines += ["", t.gettext("<b>For heads of delegation</b>")]
        for command, description in HEAD_COMMANDS:
            lines.append(f"/{command} — {t.gettext(description)}")
    if organizer:
        lines += ["", t.gettext("<b>For organizers</b>")]
        for command, description in ORGANIZER_COMMANDS:
            lines.append(f"/{command} {t.gettext(description)}")
        lines.append(t.gettext("Send a CSV, XML or JSON file to import it."))
    return Reply("\n".join(lines))


def not_registered_text(t: Translator) -> str:
    return t.gettext(
        "You are not registered yet. Open the invitation link the organizers sent you, "
        "or send /start followed by your invite code."
    )


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


def write_privately(t: Translator, bot_username: str) -> Reply:
    return Reply(
        t.gettext("I only answer in a private chat, so that your agenda stays private."),
        ((Button(t.gettext("Open a private chat"), url=f"https://t.me/{bot_username}"),),),
    )


def unknown_command(
    t: Translator, *, registered: bool, summit: str, organizer: bool = False, head: bool = False
) -> Reply:
    intro = t.gettext("I do not know that command.")
    body = help_text(t, registered=registered, summit=summit, organizer=organizer, head=head).text
    return Reply(intro + "\n\n" + body)


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


def bad_day(t: Translator, text: str) -> Reply:
    return Reply(
        t.gettext(
            "I cannot read {text} as a day. Use /agenda, /agenda today, /agenda tomorrow "
            "or /agenda YYYY-MM-DD.",
            text=text,
        )
    )


def something_went_wrong(t: Translator) -> Reply:
    return Reply(t.gettext("Sorry, something went wrong on my side. Please try again in a moment."))


def organizers_only(t: Translator) -> Reply:
    return Reply(t.gettext("This command is for the organizers."))


def forget_confirm(t: Translator, prefix: str) -> Reply:
    return Reply(
        t.gettext(
            "Do you want me to forget this Telegram account? I will delete your link to the "
            "summit, your preferences and any messages still waiting for you. Your "
            "registration with the organizers stays; to use the bot again you will need a "
            "new invite code."
        ),
        (
            (
                Button(t.gettext("Yes, forget me"), f"{prefix}yes"),
                Button(t.gettext("No, keep it"), f"{prefix}no"),
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


def command_too_long(t: Translator, length: int, limit: int) -> Reply:
    return Reply(
        t.gettext(
            "That command is {length} characters long; commands are at most {limit}. "
            "Please send it again, shorter.",
            length=Html(t.number(length)),
            limit=Html(t.number(limit)),
        )
    )


def button_expired(t: Translator) -> str:
    return t.gettext("This button is no longer valid.")
