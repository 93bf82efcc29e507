"""/bilateral's form: choose the other delegation, the participants, a topic and a slot.

Its buttons carry the form's nonce (`wizard_data`), so a button of an older form finds
nothing and the handler says the form is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.bilaterals import Booking, Slot
from bot.domain.models import Delegate
from bot.i18n import Html, Translator
from bot.reply import Button, Reply
from bot.views.bilaterals import CALLBACK, booking_data, plain, when

PAGE_SIZE = 8
NAME_IN_BUTTON = 30


def _short(text: str) -> str:
    return text if len(text) <= NAME_IN_BUTTON else text[: NAME_IN_BUTTON - 1] + "…"


def slot_label(t: Translator, slot: Slot) -> str:
    start = datetime.fromtimestamp(slot.start, t.timezone)
    return plain(
        t.gettext(
            "{day} {time} · {room}",
            day=Html(t.short_day(start.date())),
            time=Html(t.time(start)),
            room=slot.room,
        )
    )


def wizard_data(nonce: str, *parts: object) -> str:
    return ":".join([f"{CALLBACK}w", nonce, *map(str, parts)])


# --- /bilateral: the request wizard ----------------------------------------------------


def choose_delegation(
    t: Translator,
    names: Sequence[tuple[int, str]],
    page: int,
    query: str,
    nonce: str,
) -> Reply:
    pages = max(1, -(-len(names) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    lines = [
        t.gettext("🤝 <b>Request a bilateral meeting</b>"),
        t.gettext("Which delegation would you like to meet? Tap it, or type part of its name."),
    ]
    if query and names:
        lines.append(t.gettext("Delegations matching “{query}”:", query=query))
    elif query:
        lines.append(
            t.gettext(
                "No delegation matches “{query}”. Type another part of its name.", query=query
            )
        )
    shown = names[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows: list[tuple[Button, ...]] = [
        (Button(_short(name), wizard_data(nonce, "d", delegation_id)),)
        for delegation_id, name in shown
    ]
    nav: list[Button] = []
    if page > 0:
        nav.append(Button(t.gettext("⬆ Previous"), wizard_data(nonce, "g", page - 1)))
    if page + 1 < pages:
        nav.append(Button(t.gettext("⬇ More"), wizard_data(nonce, "g", page + 1)))
    if nav:
        rows.append(tuple(nav))
    rows.append((Button(t.gettext("Cancel"), wizard_data(nonce, "x")),))
    return Reply("\n".join(lines), tuple(rows))


def choose_participants(
    t: Translator,
    other: str,
    members: Sequence[Delegate],
    chosen: set[str],
    nonce: str,
) -> Reply:
    text = t.gettext(
        "Who from your delegation takes part in the meeting with {other}? "
        "Tap names to choose them, then Continue.",
        other=other,
    )
    rows: list[tuple[Button, ...]] = []
    for index, member in enumerate(members):
        mark = "✅" if member.id in chosen else "▫️"
        rows.append((Button(f"{mark} {_short(member.name)}", wizard_data(nonce, "t", index)),))
    rows.append(
        (
            Button(
                plain(t.ngettext("Continue ({count})", "Continue ({count})", len(chosen))),
                wizard_data(nonce, "n"),
            ),
            Button(t.gettext("Cancel"), wizard_data(nonce, "x")),
        )
    )
    return Reply(text, tuple(rows))


def ask_topic(t: Translator, nonce: str) -> Reply:
    return Reply(
        t.gettext("Type the topic of the meeting (optional), or skip it."),
        (
            (
                Button(t.gettext("Skip"), wizard_data(nonce, "k")),
                Button(t.gettext("Cancel"), wizard_data(nonce, "x")),
            ),
        ),
    )


def choose_slot(
    t: Translator, other: str, slots: Sequence[Slot], nonce: str, *, taken: bool = False
) -> Reply:
    lines = []
    if taken:
        lines.append(t.gettext("⏳ That slot was taken a moment ago by another request."))
    if slots:
        lines.append(
            t.gettext(
                "Times that work for a meeting with {other} — the room is held for you "
                "once you choose:",
                other=other,
            )
        )
    else:
        lines.append(
            t.gettext(
                "No time works for these participants in the coming days (rooms, agendas "
                "or the daily limit). Choose fewer participants, or ask the organizers."
            )
        )
    rows: list[tuple[Button, ...]] = [
        (Button(slot_label(t, slot), wizard_data(nonce, "s", index)),)
        for index, slot in enumerate(slots)
    ]
    rows.append((Button(t.gettext("Cancel"), wizard_data(nonce, "x")),))
    return Reply("\n".join(lines), tuple(rows))


def request_sent(t: Translator, booking: Booking) -> Reply:
    return Reply(
        t.gettext(
            "✅ Request sent to {other}: {when}, {room}. The slot is held until they answer "
            "or until {expires}. Follow it with /bilaterals.",
            other=booking.other,
            when=when(t, booking.start, booking.end),
            room=booking.room,
            expires=Html(
                t.short_day(t.venue_date(booking.expires_at)) + " " + t.time(booking.expires_at)
            ),
        )
    )


def wizard_closed(t: Translator) -> str:
    return t.gettext("This request form is closed. Start again with /bilateral.")


def choose_someone(t: Translator) -> str:
    return t.gettext("Choose at least one participant.")


def cancelled_wizard(t: Translator) -> Reply:
    return Reply(t.gettext("Nothing was requested."))


def ask_reason(t: Translator, booking_id: int) -> Reply:
    return Reply(
        t.gettext("Type a reason for declining (optional), or decline without one."),
        ((Button(t.gettext("Decline without a reason"), booking_data("dn", booking_id)),),),
    )


def people_busy(t: Translator) -> str:
    return t.gettext(
        "Some of the participants you chose have something else at that time. Choose others, "
        "or propose another time."
    )


def too_many(t: Translator) -> str:
    return t.gettext(
        "The room is too small for that many participants. Choose fewer, or propose another time."
    )
