"""Rooms for tests, until the rooms importer lands: the ONE place tests put rooms in.

It opens the real database (migrating it) and writes through the real `upsert_rooms`,
so switching it to `summitbot import rooms.csv` later changes nothing for the callers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from bot.domain.rooms import Room, RoomKind
from bot.storage.database import Database
from bot.storage.rooms import upsert_rooms


async def seed_rooms(db_path: Path, rooms: Sequence[Room]) -> None:
    database = await Database.open(db_path)
    try:
        async with database.transaction() as tx:
            await upsert_rooms(tx, rooms)
    finally:
        await database.close()


def seed_rooms_sync(db_path: Path, rooms: Sequence[Room]) -> None:
    asyncio.run(seed_rooms(db_path, rooms))


def bilateral_room(name: str, capacity: int) -> Room:
    return Room(name=name, building="Main", floor="1", capacity=capacity, kind=RoomKind.BILATERAL)
