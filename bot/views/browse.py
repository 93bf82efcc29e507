"""/program: the sessions a delegate may see, a day and a page at a time, with buttons.

Callback data must fit in 64 bytes whatever the organizers' session ids look like, so a
button names its session by a short hash of the id (`session_key`), which the handler
matches against the sessions that delegate may see on that day. A forged key that names
someone else's private session therefore matches nothing, exactly like a stale one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.agenda import DayNavigation, open_plenary
from bot.domain.models import Session
from bot.i18n import Html, Translator
from bot.reply import Button, Reply
from bot.views import organizer_edits as edits
from bot.views.session_keys import session_key as session_key  # where /program's keys live

PROGRAM_CALLBACK = "pg:"
PAGE_SIZE = 8
TITLE_IN_BUTTON = 28


def page_data(day: date, page: int) -> str:
    return f"{PROGRAM_CALLBACK}v:{day.isoformat()}:{page}"


def toggle_data(day: date, page: int, session: Session) -> str:
    return f"{PROGRAM_CALLBACK}t:{day.isoformat()}:{page}:{session_key(session.id)}"


def fixed(session: Session) -> bool:
    """Open plenaries are on everyone's agenda; they cannot be added or removed."""
    return open_plenary(session)


def _line(
    t: Translator, number: int, session: Session, attending: bool, *, show_id: bool = False
) -> str:
    mark = "✅" if attending or fixed(session) else "▫️"
    times = t.gettext(
        "{start}–{end}", start=Html(t.time(session.start)), end=Html(t.time(session.end))
    )
    title = session.title_in(t.language)
    if session.cancelled:
        head = t.gettext(
            "{number}. <b>{time}</b> <s>{title}</s> — cancelled",
            number=number,
            time=Html(times),
            title=title,
        )
    else:
        head = t.gettext(
            "{number}. {mark} <b>{time}</b> {title}",
            number=number,
            mark=Html(mark),
            time=Html(times),
            title=title,
        )
    details = t.gettext("📍 {room}", room=session.room)
    if session.track:
        details += " · " + t.gettext("{track}", track=session.track)
    if show_id:
        lock = "🔒 " if session.private else ""
        details += "\n" + lock + t.gettext("🆔 <code>{id}</code>", id=session.id)
    return f"{head}\n{details}"


def program_page(
    t: Translator,
    day: date,
    items: Sequence[tuple[Session, bool]],
    page: int,
    nav: DayNavigation,
    *,
    organizer: bool = False,
    delegate: bool = True,
) -> Reply:
    """A page of the day. Organizers also see ids and get a ✏️ button per session; an
    organizer who is not a delegate has no agenda, so no add/remove buttons."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    heading = t.gettext("<b>Programme — {day}</b>", day=Html(t.day(day)))
    if not items:
        text = heading + "\n" + t.gettext("No sessions this day.")
    else:
        hint = (
            t.gettext("Tap ✏️ to move, reschedule or cancel a session, or to message its attendees.")
            if organizer
            else t.gettext("Tap a session to add it to your agenda or remove it.")
        )
        lines = [
            _line(t, page * PAGE_SIZE + i + 1, session, attending, show_id=organizer)
            for i, (session, attending) in enumerate(shown)
        ]
        text = f"{heading}\n{hint}\n\n" + "\n\n".join(lines)
    rows: list[tuple[Button, ...]] = []
    for i, (session, attending) in enumerate(shown):
        number = page * PAGE_SIZE + i + 1
        title = session.title_in(t.language)
        short = title if len(title) <= TITLE_IN_BUTTON else title[: TITLE_IN_BUTTON - 1] + "…"
        row: list[Button] = []
        # An invited session an organizer does not attend is not theirs to add.
        addable = attending or not session.private
        if delegate and addable and not session.cancelled and not fixed(session):
            label = (
                t.gettext("✅ {number}. {title} — remove", number=number, title=short)
                if attending
                else t.gettext("➕ {number}. {title} — add", number=number, title=short)
            )
            row.append(Button(_plain(label), toggle_data(day, page, session)))
        if organizer and not session.cancelled:
            label = (
                t.gettext("✏️ {number}", number=number)
                if row
                else t.gettext("✏️ {number}. {title}", number=number, title=short)
            )
            row.append(edits.edit_button(t, _plain(label), session))
        rows.append(tuple(row))
    rows.append(_navigation(t, day, page, pages, nav))
    return Reply(text, tuple(row for row in rows if row))


def _plain(label: str) -> str:
    """Button labels are plain text: undo the HTML escaping of interpolated values."""
    return label.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _navigation(
    t: Translator, day: date, page: int, pages: int, nav: DayNavigation
) -> tuple[Button, ...]:
    row: list[Button] = []
    if page > 0:
        row.append(Button(t.gettext("⬆ Previous"), page_data(day, page - 1)))
    elif nav.previous is not None:
        row.append(
            Button(
                _plain(t.gettext("◀ {day}", day=Html(t.short_day(nav.previous)))),
                page_data(nav.previous, 0),
            )
        )
    if page + 1 < pages:
        row.append(Button(t.gettext("⬇ More"), page_data(day, page + 1)))
    elif nav.next is not None:
        row.append(
            Button(
                _plain(t.gettext("{day} ▶", day=Html(t.short_day(nav.next)))),
                page_data(nav.next, 0),
            )
        )
    return tuple(row)


def added(t: Translator, session: Session) -> str:
    return _plain(t.gettext("Added to your agenda: {title}", title=session.title_in(t.language)))


def removed(t: Translator, session: Session) -> str:
    return _plain(
        t.gettext("Removed from your agenda: {title}", title=session.title_in(t.language))
    )


def overlaps(t: Translator, session: Session, others: Sequence[Session]) -> str:
    names = ", ".join(f"{t.time(other.start)} {other.title_in(t.language)}" for other in others[:3])
    return _plain(
        t.gettext(
            "Added: {title}. Note that it overlaps with {others} on your agenda — "
            "tap it again to remove it.",
            title=session.title_in(t.language),
            others=names,
        )
    )


def not_available(t: Translator) -> str:
    return t.gettext("This session is not available. The programme may have changed.")


def organizer_assigned(t: Translator) -> str:
    return t.gettext(
        "This meeting was put on your agenda by the organizers; please ask them to change it."
    )


def cancelled_session(t: Translator) -> str:
    return t.gettext("This session is cancelled.")
