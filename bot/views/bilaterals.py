"""Bilateral meetings as messages: the request wizard, answers, pushes, lists, bookings.

Callback data (≤ 64 bytes) names a request by its number only; the handler looks it up
for the presser's own delegation, so a forged number reads exactly like a missing one.
Pushes about requests and meetings are discreet on the lock screen (SPEC §6): day, time
and room only — the other delegation and the topic are shown once the head opens it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.bilaterals import Booking, BookingState, Slot
from bot.domain.models import Delegate, Role, Session
from bot.i18n import Html, Translator
from bot.views.reply import Button, Reply, split_message

CALLBACK = "bl:"
BOOKINGS_CALLBACK = "bk:"
PAGE_SIZE = 8
NAME_IN_BUTTON = 30


def plain(label: str) -> str:
    """Button labels are plain text: undo the HTML escaping of interpolated values."""
    return label.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _short(text: str) -> str:
    return text if len(text) <= NAME_IN_BUTTON else text[: NAME_IN_BUTTON - 1] + "…"


def _when(t: Translator, start: datetime, end: datetime) -> Html:
    return Html(
        t.gettext(
            "{day}, {start}–{end}",
            day=Html(t.short_day(t.venue_date(start))),
            start=Html(t.time(start)),
            end=Html(t.time(end)),
        )
    )


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


def booking_data(action: str, booking_id: int) -> str:
    return f"{CALLBACK}{action}:{booking_id}"


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
            when=_when(t, booking.start, booking.end),
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


# --- answering ---------------------------------------------------------------------------


def _names(booking: Booking, delegation_id: int) -> str:
    return ", ".join(p.name for p in booking.side(delegation_id))


def request_push(
    t: Translator, booking: Booking, *, discreet: bool, proposal: bool = False
) -> Reply:
    """What the asked delegation's heads receive; discreet on the lock screen."""
    if not discreet:
        return request_details(t, booking)
    if proposal:
        text = t.gettext(
            "🤝 Another time was proposed for a private meeting: {when}, {room}.",
            when=_when(t, booking.start, booking.end),
            room=booking.room,
        )
    else:
        text = t.gettext(
            "🤝 A request for a private meeting: {when}, {room}.",
            when=_when(t, booking.start, booking.end),
            room=booking.room,
        )
    return Reply(text, ((Button(t.gettext("Open"), booking_data("v", booking.id)),),))


def request_details(t: Translator, booking: Booking) -> Reply:
    lines = [
        t.gettext(
            "🤝 <b>Bilateral meeting request</b> from {delegation}", delegation=booking.requester
        ),
        t.gettext("🕘 {when}", when=_when(t, booking.start, booking.end)),
        t.gettext("📍 {room}", room=booking.room),
        t.gettext("Their participants: {names}", names=_names(booking, booking.requester_id)),
    ]
    if booking.topic:
        lines.append(t.gettext("Topic: {topic}", topic=booking.topic))
    lines.append(
        t.gettext(
            "Please answer by {expires}; until then the slot is held.",
            expires=Html(
                t.short_day(t.venue_date(booking.expires_at)) + " " + t.time(booking.expires_at)
            ),
        )
    )
    return Reply(
        "\n".join(lines),
        (
            (
                Button(t.gettext("✅ Accept"), booking_data("a", booking.id)),
                Button(t.gettext("❌ Decline"), booking_data("d", booking.id)),
            ),
            (Button(t.gettext("🕘 Propose another time"), booking_data("o", booking.id)),),
        ),
    )


def ask_reason(t: Translator, booking_id: int) -> Reply:
    return Reply(
        t.gettext("Type a reason for declining (optional), or decline without one."),
        ((Button(t.gettext("Decline without a reason"), booking_data("dn", booking_id)),),),
    )


def not_available(t: Translator) -> str:
    return t.gettext("This request is no longer available.")


def people_busy(t: Translator) -> str:
    return t.gettext(
        "Some of the participants you chose have something else at that time. Choose others, "
        "or propose another time."
    )


def too_many(t: Translator) -> str:
    return t.gettext(
        "The room is too small for that many participants. Choose fewer, or propose another time."
    )


def _discreet_line(t: Translator, booking: Booking) -> Html:
    return Html(
        t.gettext("{when}, {room}", when=_when(t, booking.start, booking.end), room=booking.room)
    )


def answered_push(t: Translator, booking: Booking, *, discreet: bool) -> Reply:
    """To the heads: the request's new state. Discreet: time and room only."""
    line = _discreet_line(t, booking)
    del discreet  # every state push is discreet: details are one tap away in /bilaterals
    if booking.state is BookingState.CONFIRMED:
        text = t.gettext("✅ A private meeting is confirmed: {line}.", line=line)
    elif booking.state is BookingState.APPROVAL:
        text = t.gettext(
            "☑️ A private meeting was accepted and awaits the organizers' confirmation: {line}.",
            line=line,
        )
    elif booking.state is BookingState.DECLINED:
        text = t.gettext("❌ A meeting request was declined: {line}.", line=line)
    elif booking.state is BookingState.EXPIRED:
        text = t.gettext(
            "⌛ A meeting request expired without an answer: {line}. The slot is free again.",
            line=line,
        )
    else:
        text = t.gettext("A meeting request changed: {line}.", line=line)
    return Reply(text + "\n" + t.gettext("Details: /bilaterals"))


def cancelled_push(t: Translator, booking: Booking, *, by: str, discreet: bool) -> Reply:
    del by, discreet  # the other delegation is named only in /bilaterals
    return Reply(
        t.gettext(
            "🚫 A private meeting was cancelled by the other delegation: {line}.",
            line=_discreet_line(t, booking),
        )
        + "\n"
        + t.gettext("Details: /bilaterals")
    )


def on_agenda_push(t: Translator, booking: Booking, *, discreet: bool) -> Reply:
    """To every participant: the meeting is on their agenda now."""
    if discreet:
        return Reply(
            t.gettext(
                "🤝 A private meeting is on your agenda: {line}.", line=_discreet_line(t, booking)
            )
            + "\n"
            + t.gettext("Details: /agenda")
        )
    return Reply(
        t.gettext(
            "🤝 A bilateral meeting {a} – {b} is on your agenda: {line}.",
            a=booking.requester,
            b=booking.other,
            line=_discreet_line(t, booking),
        )
    )


# --- /bilaterals -----------------------------------------------------------------------


def state_label(t: Translator, booking: Booking) -> str:
    state = booking.state
    if state is BookingState.PENDING:
        return t.gettext(
            "⏳ waiting for an answer until {expires}",
            expires=Html(
                t.short_day(t.venue_date(booking.expires_at)) + " " + t.time(booking.expires_at)
            ),
        )
    if state is BookingState.APPROVAL:
        return t.gettext("☑️ accepted, waiting for the organizers")
    if state is BookingState.CONFIRMED:
        return t.gettext("✅ confirmed")
    if state is BookingState.DECLINED:
        if booking.reason:
            return t.gettext("❌ declined: {reason}", reason=booking.reason)
        return t.gettext("❌ declined")
    if state is BookingState.CANCELLED:
        return t.gettext("🚫 cancelled")
    return t.gettext("⌛ expired")


def delegation_bookings(t: Translator, bookings: Sequence[Booking], own_id: int) -> list[Reply]:
    if not bookings:
        return [
            Reply(
                t.gettext("<b>Bilateral meetings</b>")
                + "\n"
                + t.gettext(
                    "Your delegation has no requests or meetings yet. Ask for one with /bilateral."
                )
            )
        ]
    blocks = []
    rows: list[tuple[Button, ...]] = []
    for number, booking in enumerate(bookings, start=1):
        counterpart = booking.counterpart(own_id)
        if booking.requester_id == own_id:
            heading = t.gettext(
                "{number}. {delegation} (you asked)", number=number, delegation=counterpart
            )
        else:
            heading = t.gettext(
                "{number}. {delegation} (they asked)", number=number, delegation=counterpart
            )
        lines = [
            f"<b>{heading}</b>",
            t.gettext("🕘 {when}", when=_when(t, booking.start, booking.end)),
            t.gettext("📍 {room}", room=booking.room),
            t.gettext(
                "Participants: {names}", names=", ".join(p.name for p in booking.participants)
            ),
        ]
        if booking.topic:
            lines.append(t.gettext("Topic: {topic}", topic=booking.topic))
        lines.append(state_label(t, booking))
        blocks.append("\n".join(lines))
        if booking.state is BookingState.PENDING and booking.other_id == own_id:
            rows.append(
                (
                    Button(
                        plain(t.gettext("Answer {number}", number=number)),
                        booking_data("v", booking.id),
                    ),
                )
            )
        if booking.state.holds:
            rows.append(
                (
                    Button(
                        plain(t.gettext("🚫 Cancel {number}", number=number)),
                        booking_data("c", booking.id),
                    ),
                )
            )
    text = t.gettext("<b>Bilateral meetings</b>") + "\n\n" + "\n\n".join(blocks)
    parts = split_message(text)
    replies = [Reply(part) for part in parts]
    replies[-1] = Reply(parts[-1], tuple(rows))
    return replies


def cancelled(t: Translator) -> str:
    return t.gettext("Cancelled. The other delegation is told.")


def heads_only(t: Translator) -> Reply:
    return Reply(t.gettext("Only heads of delegation can request and answer bilateral meetings."))


def switched_off(t: Translator) -> Reply:
    return Reply(t.gettext("Bilateral meetings are not booked through this bot at this summit."))


# --- /delegation -----------------------------------------------------------------------


def delegation(
    t: Translator,
    name: str,
    rows: Sequence[tuple[Delegate, Session | None, Session | None]],
) -> list[Reply]:
    lines = [
        t.gettext("<b>Delegation {name}</b>", name=name),
        t.ngettext("{count} member", "{count} members", len(rows)),
        "",
    ]
    for member, now, upcoming in rows:
        label = member.name
        if member.role is Role.HEAD:
            lines.append(t.gettext("<b>{name}</b> — head of delegation", name=label))
        else:
            lines.append(t.gettext("<b>{name}</b>", name=label))
        if now is not None:
            lines.append(
                t.gettext(
                    "  now: {title}, 📍 {room} (until {end})",
                    title=now.title_in(t.language),
                    room=now.room,
                    end=Html(t.time(now.end)),
                )
            )
        if upcoming is not None:
            lines.append(
                t.gettext(
                    "  next: {time} {title}, 📍 {room}",
                    time=Html(
                        t.short_day(t.venue_date(upcoming.start)) + " " + t.time(upcoming.start)
                    ),
                    title=upcoming.title_in(t.language),
                    room=upcoming.room,
                )
            )
        if now is None and upcoming is None:
            lines.append(t.gettext("  nothing more on their agenda"))
    return [Reply(part) for part in split_message("\n".join(lines))]


# --- /bookings (organizers) --------------------------------------------------------------


def bookings_day(
    t: Translator,
    day: date,
    rooms: Sequence[tuple[str, int]],
    bookings: Sequence[Booking],
    *,
    approval: bool,
    previous: date,
    following: date,
) -> list[Reply]:
    lines = [t.gettext("<b>Bilateral rooms — {day}</b>", day=Html(t.day(day)))]
    rows: list[tuple[Button, ...]] = []
    by_room: dict[str, list[Booking]] = {}
    for booking in bookings:
        by_room.setdefault(booking.room, []).append(booking)
    names = [name for name, _ in rooms] + sorted(set(by_room) - {name for name, _ in rooms})
    capacities = dict(rooms)
    if not names:
        lines.append(
            t.gettext("No bilateral rooms yet: mark rooms with kind “bilateral” in the rooms file.")
        )
    for name in names:
        lines.append("")
        if name in capacities:
            lines.append(
                t.ngettext(
                    "<b>{room}</b> ({count} seat)",
                    "<b>{room}</b> ({count} seats)",
                    capacities[name],
                    room=name,
                )
            )
        else:
            lines.append(t.gettext("<b>{room}</b>", room=name))
        held = by_room.get(name, [])
        if not held:
            lines.append(t.gettext("  free all day"))
        for booking in held:
            lines.append(
                t.gettext(
                    "  #{id} {start}–{end} {a} – {b}: {state}",
                    id=booking.id,
                    start=Html(t.time(booking.start)),
                    end=Html(t.time(booking.end)),
                    a=booking.requester,
                    b=booking.other,
                    state=Html(state_label(t, booking)),
                )
            )
            if approval and booking.state is BookingState.APPROVAL:
                rows.append(
                    (
                        Button(
                            plain(t.gettext("✅ Confirm #{id}", id=booking.id)),
                            booking_data("ok", booking.id),
                        ),
                        Button(
                            plain(t.gettext("❌ Decline #{id}", id=booking.id)),
                            booking_data("no", booking.id),
                        ),
                    )
                )
    rows.append(
        (
            Button(
                plain(t.gettext("◀ {day}", day=Html(t.short_day(previous)))),
                f"{BOOKINGS_CALLBACK}{previous.isoformat()}",
            ),
            Button(
                plain(t.gettext("{day} ▶", day=Html(t.short_day(following)))),
                f"{BOOKINGS_CALLBACK}{following.isoformat()}",
            ),
        )
    )
    parts = split_message("\n".join(lines))
    replies = [Reply(part) for part in parts]
    replies[-1] = Reply(parts[-1], tuple(rows))
    return replies


def awaiting_approval(t: Translator, booking: Booking) -> Reply:
    """To organizers (who may know every booking): one waits for their confirmation."""
    day = t.venue_date(booking.start)
    return Reply(
        t.gettext(
            "☑️ Bilateral booking #{id} awaits your confirmation: {a} – {b}, {when}, {room}.",
            id=booking.id,
            a=booking.requester,
            b=booking.other,
            when=_when(t, booking.start, booking.end),
            room=booking.room,
        )
        + "\n"
        + f"/bookings {day.isoformat()}"
    )


def decided(t: Translator, booking: Booking) -> str:
    if booking.state is BookingState.CONFIRMED:
        return plain(
            t.gettext("Booking #{id} confirmed; both delegations are told.", id=booking.id)
        )
    return plain(t.gettext("Booking #{id} declined; both delegations are told.", id=booking.id))


def bad_date(t: Translator, text: str) -> Reply:
    return Reply(
        t.gettext("“{text}” is not a date. Use YYYY-MM-DD, e.g. /bookings 2026-12-01.", text=text)
    )


def conflict_lines(
    t: Translator, conflicts: Sequence[tuple[Session, Sequence[Booking]]]
) -> list[str]:
    """For organizers: a changed or imported session over booked bilateral meetings."""
    lines = []
    for session, bookings in conflicts:
        held = "; ".join(
            plain(
                t.gettext(
                    "#{id} {a} – {b}, {when}, {room}",
                    id=booking.id,
                    a=booking.requester,
                    b=booking.other,
                    when=_when(t, booking.start, booking.end),
                    room=booking.room,
                )
            )
            for booking in bookings
        )
        lines.append(
            t.gettext(
                "⚠️ Conflict: {title} ({when}) overlaps booked bilateral meetings: {bookings}. "
                "See /bookings.",
                title=session.title_in(t.language),
                when=_when(t, session.start, session.end),
                bookings=held,
            )
        )
    return lines
