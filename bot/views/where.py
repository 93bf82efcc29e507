"""/where and the 📍 buttons: rooms as places (building, floor, directions, the map).

A 📍 button names its room by a short hash of the room's key (`room_button_data`), so the
callback data fits Telegram's 64 bytes whatever the rooms are called; the handler matches
the hash against the rooms file.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import Protocol

from bot.domain.models import Session
from bot.domain.rooms import Room, room_key
from bot.i18n import FSI, PDI, Html, Translator
from bot.reply import Button, Reply, split_message

WHERE_CALLBACK = "wh:"
MAX_ROOM_BUTTONS = 24
"""Buttons under the /where listing; a bigger venue is listed in text only beyond that."""
BUTTONS_PER_ROW = 2


def room_hash(key: str) -> str:
    digest = hashlib.sha256(key.encode()).digest()[:8]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def room_button_data(room: Room) -> str:
    return f"{WHERE_CALLBACK}{room_hash(room.key)}"


def plain(text: str) -> str:
    """Translated text for places without HTML (buttons, the map's label)."""
    return html.unescape(text).replace(FSI, "").replace(PDI, "")


def room_button(t: Translator, room: Room) -> Button:
    return Button(plain(t.gettext("📍 {room}", room=room.name)), room_button_data(room))


def room_buttons(t: Translator, rooms: Iterable[Room]) -> tuple[tuple[Button, ...], ...]:
    """One 📍 button per distinct room, two to a row, in the order first met."""
    unique = list({room.key: room for room in rooms}.values())[:MAX_ROOM_BUTTONS]
    buttons = [room_button(t, room) for room in unique]
    return tuple(
        tuple(buttons[i : i + BUTTONS_PER_ROW]) for i in range(0, len(buttons), BUTTONS_PER_ROW)
    )


def session_room_buttons(
    t: Translator, sessions: Iterable[Session], rooms: Mapping[str, Room]
) -> tuple[tuple[Button, ...], ...]:
    """📍 buttons for the rooms of these sessions that the rooms file knows (by key)."""
    known = [
        rooms[room_key(session.room)]
        for session in sessions
        if not session.cancelled and room_key(session.room) in rooms
    ]
    return room_buttons(t, known)


def place(t: Translator, room: Room) -> str:
    """Where a room is, in a few words: its building and floor."""
    return t.gettext("{building}, floor {floor}", building=room.building, floor=room.floor)


def map_label(t: Translator, room: Room) -> tuple[str, ...]:
    """The lines written beside the mark on the floor plan."""
    return (room.name, plain(t.gettext("Floor {floor}", floor=room.floor)))


def map_caption(t: Translator, room: Room) -> str:
    return t.gettext("<b>{title}</b>", title=room.name) + "\n" + place(t, room)


def venue_address(t: Translator, room: Room) -> str:
    """The venue message's address line (Telegram requires one)."""
    return room.address or plain(place(t, room))


def room_details(t: Translator, room: Room) -> Reply:
    """The room in words: where it is, how to get there, whether it is step-free."""
    lines = [t.gettext("📍 {room}", room=room.name), place(t, room)]
    directions = room.directions_in(t.language)
    if directions:
        lines += ["", t.value(directions)]
    if room.accessible is True:
        lines += ["", t.gettext("♿ Step-free access")]
    elif room.accessible is False:
        lines += ["", t.gettext("Not step-free: ask the staff at the entrance for help.")]
    return Reply("\n".join(lines))


def buildings(t: Translator, rooms: Sequence[Room]) -> list[Reply]:
    """Every building with its rooms, and a button per room (up to a limit)."""
    if not rooms:
        return [Reply(t.gettext("The venue's rooms have not been loaded yet."))]
    lines = [
        t.gettext("<b>The venue</b>"),
        t.gettext("Send /where and a room's name, or tap a room."),
    ]
    ordered = sorted(rooms, key=lambda room: (room.building.casefold(), room.name.casefold()))
    for building, in_building in groupby(ordered, key=lambda room: room.building):
        lines += ["", t.gettext("🏢 <b>{building}</b>", building=building)]
        lines += [
            t.gettext("• {room} — floor {floor}", room=room.name, floor=room.floor)
            for room in in_building
        ]
    parts = split_message("\n".join(lines))
    return [Reply(part) for part in parts[:-1]] + [Reply(parts[-1], room_buttons(t, ordered))]


def unknown_room(t: Translator, text: str, suggestions: Sequence[Room]) -> Reply:
    if not suggestions:
        return Reply(
            t.gettext(
                "I do not know a room called {text}. Send /where to see all rooms.", text=text
            )
        )
    return Reply(
        t.gettext("I do not know a room called {text}. Did you mean one of these?", text=text),
        room_buttons(t, suggestions),
    )


class Crowded(Protocol):
    """A session with more delegates on its agenda than its room seats (the storage's
    `Overcrowded` is one); described here so that the view needs nothing of storage."""

    @property
    def session_id(self) -> str: ...
    @property
    def room(self) -> str: ...
    @property
    def attendance(self) -> int: ...
    @property
    def capacity(self) -> int: ...


def capacity_warning(t: Translator, item: Crowded) -> str:
    """For organizers: a session with more delegates on its agenda than its room seats."""
    return t.ngettext(
        "⚠️ {session}: {count} delegate has it on their agenda, but {room} seats {capacity}.",
        "⚠️ {session}: {count} delegates have it on their agenda, but {room} seats {capacity}.",
        item.attendance,
        session=item.session_id,
        room=item.room,
        capacity=Html(t.number(item.capacity)),
    )


def stale_room(t: Translator) -> str:
    """A 📍 button for a room the rooms file no longer has."""
    return plain(t.gettext("This room is no longer in the venue's rooms. Send /where."))
