"""/help, the command menu's descriptions, and the answers to whoever may not use a command."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.reply import Button, Reply

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


def unknown_command(
    t: Translator, *, registered: bool, summit: str, organizer: bool = False, head: bool = False
) -> Reply:
    intro = t.gettext("I do not know that command.")
    body = help_text(t, registered=registered, summit=summit, organizer=organizer, head=head).text
    return Reply(intro + "\n\n" + body)


def write_privately(t: Translator, bot_username: str) -> Reply:
    return Reply(
        t.gettext("I only answer in a private chat, so that your agenda stays private."),
        ((Button(t.gettext("Open a private chat"), url=f"https://t.me/{bot_username}"),),),
    )


def organizers_only(t: Translator) -> Reply:
    return Reply(t.gettext("This command is for the organizers."))


def button_expired(t: Translator) -> str:
    return t.gettext("This button is no longer valid.")
