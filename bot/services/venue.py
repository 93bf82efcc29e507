"""The venue as handlers ask for it: the rooms, who is crowded, and the floor-plan photos
Telegram already holds (so a plan is uploaded once per room and language)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.rooms import Overcrowded, Room
from bot.storage.database import Database
from bot.storage.rooms import RoomStore, rooms_by_key
from bot.storage.venue import RoomPhotos, overcrowded


class Venue:
    def __init__(self, database: Database) -> None:
        self._database = database
        self.photos = RoomPhotos(database)
        """Each drawn plan's Telegram `file_id`, by room, language and drawing."""

    async def rooms(self) -> Sequence[Room]:
        """Every room of the rooms file."""
        return await RoomStore(self._database).all()

    async def rooms_by_key(self) -> dict[str, Room]:
        """Every room by its key, the form sessions' room texts are matched in."""
        return await rooms_by_key(self._database)

    async def overcrowded(self, session_ids: Sequence[str], now: datetime) -> list[Overcrowded]:
        """Those of the sessions, not over at `now`, with more attendees than seats."""
        return await overcrowded(self._database, int(now.timestamp()), session_ids)
