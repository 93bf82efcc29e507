"""Finding the room a person means from what they typed (/where ROOM)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.rooms import Room, room_key

MAX_SUGGESTIONS = 6


@dataclass(frozen=True, slots=True)
class RoomSearch:
    found: Room | None
    suggestions: Sequence[Room] = field(default=())
    """When nothing matched for sure: the closest names, best first."""


def search_rooms(text: str, rooms: Sequence[Room]) -> RoomSearch:
    """The room named by `text`: by key ("Hall B" = "hall-b"), else the one room whose key
    contains it ("diwan" for "Diwan Room"); otherwise close names to choose from."""
    key = room_key(text)
    by_key = {room.key: room for room in rooms}
    if key in by_key:
        return RoomSearch(by_key[key])
    containing = [room for room in rooms if key and key in room.key]
    if len(containing) == 1:
        return RoomSearch(containing[0])
    close = difflib.get_close_matches(key, list(by_key), n=MAX_SUGGESTIONS, cutoff=0.5)
    ranked = [*containing, *(by_key[k] for k in close)]
    unique = list({room.key: room for room in ranked}.values())
    return RoomSearch(None, unique[:MAX_SUGGESTIONS])
