"""The ✏️ menu of an organizer's /program: move, reschedule, cancel, message attendees.

A button names its session by `session_key` (a short hash of the id), as /program does,
so callback data stays within Telegram's 64 bytes whatever the organizers' ids look like.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.domain.models import Session
from bot.i18n import Html, Translator
from bot.reply import Button, Reply
from bot.views.session_keys import session_key

EDIT_CALLBACK = "pe:"

MENU = "e"
MOVE = "m"
RESCHEDULE = "r"
CANCEL = "c"
CONFIRM_CANCEL = "X"
KEEP = "k"
MESSAGE = "b"
AT_TIME = "t"

# The new start times the reschedule step offers as buttons, relative to the current one.
TIME_SHIFTS = (
    timedelta(minutes=-60),
    timedelta(minutes=-30),
    timedelta(minutes=30),
    timedelta(minutes=60),
    timedelta(minutes=120),
    timedelta(days=1),
)


def action_data(action: str, session: Session) -> str:
    return f"{EDIT_CALLBACK}{action}:{session_key(session.id)}"


def time_data(session: Session, start: datetime) -> str:
    return f"{EDIT_CALLBACK}{AT_TIME}:{session_key(session.id)}:{int(start.timestamp())}"


def edit_button(t: Translator, label: str, session: Session) -> Button:
    return Button(label, action_data(MENU, session))


def _when(t: Translator, session: Session) -> str:
    return t.gettext(
        "{day}, {start}–{end}",
        day=Html(t.short_day(t.venue_date(session.start))),
        start=Html(t.time(session.start)),
        end=Html(t.time(session.end)),
    )


def menu(t: Translator, session: Session) -> Reply:
    text = t.gettext(
        "✏️ <b>{title}</b>\n🆔 <code>{id}</code>\n🕑 {when}\n📍 {room}\n\nWhat should change?",
        title=session.title_in(t.language),
        id=session.id,
        when=Html(_when(t, session)),
        room=session.room,
    )
    buttons = (
        (
            Button(t.gettext("📍 Move to another room"), action_data(MOVE, session)),
            Button(t.gettext("🕑 Reschedule"), action_data(RESCHEDULE, session)),
        ),
        (
            Button(t.gettext("✖️ Cancel the session"), action_data(CANCEL, session)),
            Button(t.gettext("📢 Message its attendees"), action_data(MESSAGE, session)),
        ),
    )
    return Reply(text, buttons)


def ask_room(t: Translator, session: Session) -> Reply:
    return Reply(
        t.gettext(
            "Send the new room for <b>{title}</b> (now: {room}). Sending a command instead "
            "leaves this.",
            title=session.title_in(t.language),
            room=session.room,
        )
    )


def time_options(session: Session, now: datetime) -> list[datetime]:
    return [session.start + shift for shift in TIME_SHIFTS if session.start + shift > now]


def ask_time(t: Translator, session: Session, options: Sequence[datetime]) -> Reply:
    text = t.gettext(
        "Pick a new start for <b>{title}</b> (now: {when}); it keeps its length. Or send "
        "START [END] as HH:MM (the same day) or YYYY-MM-DDTHH:MM.",
        title=session.title_in(t.language),
        when=Html(_when(t, session)),
    )
    labels = []
    for option in options:
        if t.venue_date(option) == t.venue_date(session.start):
            labels.append(Button(t.time(option), time_data(session, option)))
        else:
            label = f"{t.short_day(t.venue_date(option))} {t.time(option)}"
            labels.append(Button(label, time_data(session, option)))
    rows = tuple(tuple(labels[i : i + 3]) for i in range(0, len(labels), 3))
    return Reply(text, rows)


def confirm_cancel(t: Translator, session: Session) -> Reply:
    text = t.gettext(
        "Cancel <b>{title}</b> ({when})? Every delegate who has it on their agenda is told.",
        title=session.title_in(t.language),
        when=Html(_when(t, session)),
    )
    buttons = (
        (
            Button(t.gettext("Yes, cancel it"), action_data(CONFIRM_CANCEL, session)),
            Button(t.gettext("No, keep it"), action_data(KEEP, session)),
        ),
    )
    return Reply(text, buttons)


def ask_message(t: Translator, session: Session) -> Reply:
    return Reply(
        t.gettext(
            "Send the message for the delegates of session {id}. You will see a preview "
            "with the number of recipients before anything is sent.",
            id=session.id,
        )
    )


def nothing_changed(t: Translator) -> str:
    return t.gettext("Nothing was changed.")


def bad_room(t: Translator) -> Reply:
    return Reply(t.gettext("A room name has 1 to 100 characters. Send it again."))
