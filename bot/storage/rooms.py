"""The rooms file's rooms: written by the rooms import, read by /where, notices and bookings."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from bot.domain.rooms import Room, RoomKind, room_key
from bot.storage.database import Database, Reader, Transaction
from bot.storage.rows import from_row

_COLUMNS = (
    "name, building, floor, capacity, latitude, longitude, address, map_path, x, y, kind,"
    " directions, accessible"
)

_UPSERT = f"""
    INSERT INTO room (key, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET
        name = excluded.name, building = excluded.building, floor = excluded.floor,
        capacity = excluded.capacity, latitude = excluded.latitude,
        longitude = excluded.longitude, address = excluded.address,
        map_path = excluded.map_path, x = excluded.x, y = excluded.y, kind = excluded.kind,
        directions = excluded.directions, accessible = excluded.accessible
"""


def _room_from_row(row: sqlite3.Row) -> Room:
    accessible = row["accessible"]
    return from_row(
        Room,
        row,
        kind=RoomKind(row["kind"]),
        directions=json.loads(row["directions"]),
        accessible=None if accessible is None else bool(accessible),
    )


def _values(room: Room) -> tuple[object, ...]:
    return (
        room.key,
        room.name,
        room.building,
        room.floor,
        room.capacity,
        room.latitude,
        room.longitude,
        room.address,
        room.map_path,
        room.x,
        room.y,
        room.kind.value,
        json.dumps(dict(room.directions), ensure_ascii=False, sort_keys=True),
        None if room.accessible is None else int(room.accessible),
    )


async def upsert_rooms(tx: Transaction, rooms: Iterable[Room]) -> None:
    """Add or update rooms by their key; an import never deletes a room."""
    await tx.executemany(_UPSERT, [_values(room) for room in rooms])


async def rooms_by_key(reader: Reader) -> dict[str, Room]:
    """Every room of the rooms file by its key (what sessions' room texts are matched on)."""
    rows = await reader.fetchall(f"SELECT {_COLUMNS} FROM room")
    return {room.key: room for room in (_room_from_row(row) for row in rows)}


class RoomStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def get(self, name: str) -> Room | None:
        """The room a session's `room` text names, matched forgivingly."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM room WHERE key = ?", (room_key(name),)
        )
        return None if row is None else _room_from_row(row)

    async def all(self) -> Sequence[Room]:
        rows = await self._db.fetchall(f"SELECT {_COLUMNS} FROM room ORDER BY building, name")
        return [_room_from_row(row) for row in rows]

    async def of_kind(self, kind: RoomKind) -> Sequence[Room]:
        """E.g. the bilateral pool: the rooms bookable for bilateral meetings."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM room WHERE kind = ? ORDER BY name", (kind.value,)
        )
        return [_room_from_row(row) for row in rows]
