"""/bookings, the organizers' view of the bilateral rooms, and conflicts with bookings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.bilaterals import Booking, BookingState
from bot.domain.models import Session
from bot.i18n import Html, Translator
from bot.reply import Button, Reply, split_message
from bot.views.bilaterals import booking_data, plain, state_label, when

BOOKINGS_CALLBACK = "bk:"


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
                    when=when(t, booking.start, booking.end),
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
                when=when(t, session.start, session.end),
                bookings=held,
            )
        )
    return lines
