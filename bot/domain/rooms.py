"""Rooms as data: where a session's `room` is, how big it is, how to get there.

A session names its room by text; the rooms file (SPEC §4) says what that text means.
Names are matched forgivingly (`room_key`), because organizers and delegates write
"Hall B", "hall-b" and "HALL B" for the same place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class RoomKind(StrEnum):
    MEETING = "meeting"
    BILATERAL = "bilateral"
    """Bookable for bilateral meetings between delegations."""


def room_key(name: str) -> str:
    """The form two room names are compared in: no case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(
        ch.casefold() for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch)
    )


@dataclass(frozen=True, slots=True)
class Room:
    name: str
    building: str
    floor: str
    capacity: int
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    map_path: str = ""
    """The floor plan image, as an absolute path on the bot's machine ("" = none)."""
    x: int | None = None
    y: int | None = None
    kind: RoomKind = RoomKind.MEETING
    directions: Mapping[str, str] = field(default_factory=dict)
    """Directions by language code; "" holds the ones without a language."""
    accessible: bool | None = None

    @property
    def key(self) -> str:
        return room_key(self.name)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def has_map_position(self) -> bool:
        return bool(self.map_path) and self.x is not None and self.y is not None

    def directions_in(self, language: str) -> str:
        return self.directions.get(language) or self.directions.get("", "")


@dataclass(frozen=True, slots=True)
class Overcrowded:
    """A session with more delegates on its agenda than its room seats."""

    session_id: str
    title: str
    room: str
    attendance: int
    capacity: int
