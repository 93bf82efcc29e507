"""A delegate's day and what comes next, as messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from bot.domain.agenda import DayNavigation, NextUp
from bot.domain.models import Session
from bot.domain.rooms import Room
from bot.i18n import Html, Translator
from bot.reply import Button, Reply, split_message
from bot.views.where import session_room_buttons

AGENDA_CALLBACK = "ag:"


def agenda_callback(day: date) -> str:
    return f"{AGENDA_CALLBACK}{day.isoformat()}"


def session_lines(t: Translator, session: Session) -> str:
    """Two lines for one session: time and title, then the room."""
    times = t.gettext(
        "{start}–{end}", start=Html(t.time(session.start)), end=Html(t.time(session.end))
    )
    title = session.title_in(t.language)
    if session.cancelled:
        heading = t.gettext(
            "<b>{time}</b> <s>{title}</s> — cancelled", time=Html(times), title=title
        )
    elif session.private:
        heading = t.gettext("<b>{time}</b> 🔒 {title}", time=Html(times), title=title)
    else:
        heading = t.gettext("<b>{time}</b> {title}", time=Html(times), title=title)
    return heading + "\n" + t.gettext("📍 {room}", room=session.room)


def day_agenda(
    t: Translator,
    day: date,
    sessions: Sequence[Session],
    nav: DayNavigation,
    rooms: Mapping[str, Room] | None = None,
    webapp_url: str | None = None,
) -> list[Reply]:
    """The agenda of one day; long days become several messages, buttons on the last
    (with the Mini App's "Open the programme" when it is on)."""
    heading = t.gettext("<b>{day}</b>", day=Html(t.day(day)))
    if sessions:
        count = t.ngettext(
            "{count} session on your agenda", "{count} sessions on your agenda", len(sessions)
        )
        body = "\n\n".join(session_lines(t, session) for session in sessions)
        text = f"{heading}\n{count}\n\n{body}"
    else:
        text = heading + "\n" + t.gettext("Nothing on your agenda this day.")
    parts = split_message(text)
    buttons = session_room_buttons(t, sessions, rooms or {}) + _navigation_buttons(t, nav)
    if webapp_url:
        buttons += ((Button(t.gettext("📅 Open the programme"), web_app=webapp_url),),)
    return [Reply(part) for part in parts[:-1]] + [Reply(parts[-1], buttons)]


def _navigation_buttons(t: Translator, nav: DayNavigation) -> tuple[tuple[Button, ...], ...]:
    row: list[Button] = []
    if nav.previous is not None:
        label = t.gettext("◀ {day}", day=Html(t.short_day(nav.previous)))
        row.append(Button(label, agenda_callback(nav.previous)))
    if nav.next is not None:
        label = t.gettext("{day} ▶", day=Html(t.short_day(nav.next)))
        row.append(Button(label, agenda_callback(nav.next)))
    return (tuple(row),) if row else ()


def next_sessions(
    t: Translator, up: NextUp, now: datetime, rooms: Mapping[str, Room] | None = None
) -> Reply:
    """What runs now and what starts next, with how long until it starts."""
    blocks: list[str] = []
    for session in up.running:
        blocks.append(
            t.gettext("<b>Now</b> (until {end})", end=Html(t.time(session.end)))
            + "\n"
            + session_lines(t, session)
        )
    if up.upcoming is not None:
        session = up.upcoming
        starts = t.until(session.start - now)
        day = ""
        if t.venue_date(session.start) != t.venue_date(now):
            day = Html(t.short_day(t.venue_date(session.start)))
        label = (
            t.gettext("<b>Next</b>, {when}", when=starts)
            if not day
            else t.gettext("<b>Next</b>, {day}, {when}", day=day, when=starts)
        )
        blocks.append(label + "\n" + session_lines(t, session))
    if not blocks:
        return Reply(t.gettext("Nothing more on your agenda. Use /program to see the programme."))
    shown = [*up.running, *([up.upcoming] if up.upcoming is not None else [])]
    return Reply("\n\n".join(blocks), session_room_buttons(t, shown, rooms or {}))


def bad_day(t: Translator, text: str) -> Reply:
    return Reply(
        t.gettext(
            "I cannot read {text} as a day. Use /agenda, /agenda today, /agenda tomorrow "
            "or /agenda YYYY-MM-DD.",
            text=text,
        )
    )
