"""Rooms for tests: the ONE place tests put rooms in.

It writes a rooms file (SPEC §4) and imports it through the real import path, exactly as
`summitbot import rooms.csv` does, into the real database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.rooms import Room, RoomKind
from bot.services.imports import SourceFile, import_files
from bot.storage.database import Database
from tests.support.summit_files import to_csv


def rooms_csv(rooms: Sequence[Room]) -> bytes:
    rows = [["room", "building", "floor", "capacity", "kind"]]
    rows += [[r.name, r.building, r.floor, str(r.capacity), r.kind.value] for r in rooms]
    return to_csv(rows)


async def seed_rooms(db_path: Path, rooms: Sequence[Room]) -> None:
    database = await Database.open(db_path)
    try:
        report = await import_files(
            database, [SourceFile("rooms.csv", rooms_csv(rooms))], ZoneInfo("UTC")
        )
        assert report.ok, report.summary_lines()
    finally:
        await database.close()


def seed_rooms_sync(db_path: Path, rooms: Sequence[Room]) -> None:
    asyncio.run(seed_rooms(db_path, rooms))


def bilateral_room(name: str, capacity: int) -> Room:
    return Room(name=name, building="Main", floor="1", capacity=capacity, kind=RoomKind.BILATERAL)
