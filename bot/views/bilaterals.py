"""Bilateral requests and meetings as messages: pushes, a request's details, /bilaterals.

Callback data (≤ 64 bytes) names a request by its number only; the handler looks it up
for the presser's own delegation, so a forged number reads exactly like a missing one.
Pushes about requests and meetings are discreet on the lock screen (SPEC §6): day, time
and room only — the other delegation and the topic are shown once the head opens it.

The request form lives in `bilateral_form`, the organizers' room view in
`bilateral_rooms`, a head's view of their delegation in `delegation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.bilaterals import Booking, BookingState
from bot.i18n import Html, Translator
from bot.reply import Button, Reply, split_message

CALLBACK = "bl:"


def plain(label: str) -> str:
    """Button labels are plain text: undo the HTML escaping of interpolated values."""
    return label.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def when(t: Translator, start: datetime, end: datetime) -> Html:
    return Html(
        t.gettext(
            "{day}, {start}–{end}",
            day=Html(t.short_day(t.venue_date(start))),
            start=Html(t.time(start)),
            end=Html(t.time(end)),
        )
    )


def booking_data(action: str, booking_id: int) -> str:
    return f"{CALLBACK}{action}:{booking_id}"


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
            when=when(t, booking.start, booking.end),
            room=booking.room,
        )
    else:
        text = t.gettext(
            "🤝 A request for a private meeting: {when}, {room}.",
            when=when(t, booking.start, booking.end),
            room=booking.room,
        )
    return Reply(text, ((Button(t.gettext("Open"), booking_data("v", booking.id)),),))


def request_details(t: Translator, booking: Booking) -> Reply:
    lines = [
        t.gettext(
            "🤝 <b>Bilateral meeting request</b> from {delegation}", delegation=booking.requester
        ),
        t.gettext("🕘 {when}", when=when(t, booking.start, booking.end)),
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


def not_available(t: Translator) -> str:
    return t.gettext("This request is no longer available.")


def _discreet_line(t: Translator, booking: Booking) -> Html:
    return Html(
        t.gettext("{when}, {room}", when=when(t, booking.start, booking.end), room=booking.room)
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
            t.gettext("🕘 {when}", when=when(t, booking.start, booking.end)),
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


def awaiting_approval(t: Translator, booking: Booking) -> Reply:
    """To organizers (who may know every booking): one waits for their confirmation."""
    day = t.venue_date(booking.start)
    return Reply(
        t.gettext(
            "☑️ Bilateral booking #{id} awaits your confirmation: {a} – {b}, {when}, {room}.",
            id=booking.id,
            a=booking.requester,
            b=booking.other,
            when=when(t, booking.start, booking.end),
            room=booking.room,
        )
        + "\n"
        + f"/bookings {day.isoformat()}"
    )
