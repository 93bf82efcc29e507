"""What the bot pushes about the programme: reminders, change notices, the daily digest.

Discretion (SPEC §6): a pushed message about an `invited` session shows only its time and
room, because it may be read on a locked phone screen; the delegate sees the details with
/next or /agenda. The organizers can turn this off (`summit.discreet_notifications`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.domain.changes import ChangeKind, SessionChanged
from bot.domain.models import Session
from bot.domain.rooms import Room, room_key
from bot.i18n import Html, Translator
from bot.reply import Reply, split_message
from bot.views.agenda import session_lines
from bot.views.where import place, session_room_buttons


def _hidden(session: Session, discreet: bool) -> bool:
    return discreet and session.private


def _when(t: Translator, session: Session) -> Html:
    return Html(
        t.gettext("{start}–{end}", start=Html(t.time(session.start)), end=Html(t.time(session.end)))
    )


def reminder(
    t: Translator,
    session: Session,
    *,
    discreet: bool,
    rooms: Mapping[str, Room] | None = None,
) -> Reply:
    """The reminder, with a 📍 button when the rooms file knows the room."""
    buttons = session_room_buttons(t, [session], rooms or {})
    if _hidden(session, discreet):
        return Reply(
            t.gettext(
                "🔔 <b>Reminder</b>: a private meeting at {time} in {room}. Details: /next",
                time=Html(t.time(session.start)),
                room=session.room,
            ),
            buttons,
        )
    return Reply(t.gettext("🔔 <b>Reminder</b>") + "\n" + session_lines(t, session), buttons)


def _change_lines(
    t: Translator, change: SessionChanged, rooms: Mapping[str, Room], *, discreet: bool
) -> str:
    before, after = change.before, change.after
    hidden = _hidden(after, discreet)
    if hidden:
        title = t.gettext("A private meeting on your agenda")
    else:
        title = t.gettext("<b>{title}</b>", title=after.title_in(t.language))
    lines = [title]
    if ChangeKind.CANCELLED in change.kinds:
        lines.append(
            t.gettext(
                "❌ Cancelled (was {day}, {time}, {room})",
                day=Html(t.short_day(t.venue_date(before.start))),
                time=_when(t, before),
                room=before.room,
            )
        )
        return "\n".join(lines)
    if ChangeKind.REINSTATED in change.kinds:
        lines.append(t.gettext("✅ Back on the programme"))
    if ChangeKind.TIME in change.kinds:
        old_day, new_day = t.venue_date(before.start), t.venue_date(after.start)
        if old_day != new_day:
            lines.append(
                t.gettext(
                    "🕘 {old_day} {old} → <b>{new_day} {new}</b>",
                    old_day=Html(t.short_day(old_day)),
                    old=_when(t, before),
                    new_day=Html(t.short_day(new_day)),
                    new=_when(t, after),
                )
            )
        else:
            lines.append(
                t.gettext("🕘 {old} → <b>{new}</b>", old=_when(t, before), new=_when(t, after))
            )
    else:
        lines.append(
            t.gettext(
                "🕘 {day}, {time}",
                day=Html(t.short_day(t.venue_date(after.start))),
                time=_when(t, after),
            )
        )
    if ChangeKind.ROOM in change.kinds:
        lines.append(t.gettext("📍 {old} → <b>{new}</b>", old=before.room, new=after.room))
        # Where the new room is: a delegate sent to another building must learn which.
        new_room = rooms.get(room_key(after.room))
        if new_room is not None:
            lines.append(place(t, new_room))
    else:
        lines.append(t.gettext("📍 {room}", room=after.room))
    return "\n".join(lines)


def changes(
    t: Translator,
    items: Sequence[SessionChanged],
    *,
    discreet: bool,
    rooms: Mapping[str, Room] | None = None,
) -> list[Reply]:
    """One message for all of a delegate's changed sessions (split only if too long), with
    📍 buttons for their rooms that the rooms file knows."""
    rooms = rooms or {}
    heading = t.ngettext(
        "⚠️ <b>Programme change</b>",
        "⚠️ <b>Programme changes</b> ({count})",
        len(items),
    )
    blocks = [_change_lines(t, item, rooms, discreet=discreet) for item in items]
    text = heading + "\n\n" + "\n\n".join(blocks)
    if any(_hidden(item.after, discreet) for item in items):
        text += "\n\n" + t.gettext("Details: /agenda")
    parts = split_message(text)
    buttons = session_room_buttons(t, [item.after for item in items], rooms)
    return [Reply(part) for part in parts[:-1]] + [Reply(parts[-1], buttons)]


def withdrawn(t: Translator, known_as: Session) -> Reply:
    """Only the title the delegate already knew: nothing about what the session became."""
    return Reply(
        t.gettext(
            "ℹ️ <b>{title}</b>, which you had added, is no longer on your agenda.",
            title=known_as.title_in(t.language),
        )
    )


def digest(t: Translator, day: date, sessions: Sequence[Session], *, discreet: bool) -> list[Reply]:
    """The morning message: the delegate's whole day."""
    heading = t.gettext("☀️ <b>Your day</b> — {day}", day=Html(t.day(day)))
    count = t.ngettext("{count} session", "{count} sessions", len(sessions))
    blocks = []
    for session in sessions:
        if _hidden(session, discreet):
            blocks.append(
                t.gettext(
                    "<b>{time}</b> 🔒 A private meeting",
                    time=_when(t, session),
                )
                + "\n"
                + t.gettext("📍 {room}", room=session.room)
            )
        else:
            blocks.append(session_lines(t, session))
    text = f"{heading}\n{count}\n\n" + "\n\n".join(blocks)
    return [Reply(part) for part in split_message(text)]
