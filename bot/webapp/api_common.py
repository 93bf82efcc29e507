"""What every Mini App call shares: refusals, the viewer's rights, days and session JSON.

`ApiBase` holds the services, the room store and the bilaterals provider; the calls
themselves are in `api_delegates.py` and `api_organizers.py`, joined in `api.WebappApi`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.domain.agenda import day_bounds
from bot.domain.models import Session
from bot.domain.rooms import Room, room_key
from bot.storage.rooms import RoomStore
from bot.telegram.context import Services, Viewer
from bot.views import browse as program_views
from bot.webapp.bilaterals import BilateralsProvider

MAX_DAYS = 31
MAX_QUERY = 100
MAX_ROOM = 100
MAP_TYPES: Mapping[str, str] = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

JSON = dict[str, Any]


class ApiError(Exception):
    """A refusal the page shows: an HTTP status and a message in the viewer's language."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A chat message (Telegram HTML) as plain text for the page, which never parses HTML."""
    return html.unescape(_TAG.sub("", text)).replace("\u2068", "").replace("\u2069", "")


@dataclass(frozen=True, slots=True)
class MapImage:
    path: Path
    content_type: str
    missing: str
    """What to answer if the file cannot be read."""


class ApiBase:
    def __init__(
        self, services: Services, rooms: RoomStore, bilaterals: BilateralsProvider
    ) -> None:
        self._services = services
        self._rooms = rooms
        self._bilaterals = bilaterals

    # ---------------------------------------------------------------- who is asking

    def _registered(self, viewer: Viewer) -> None:
        if viewer.delegate is None and not viewer.organizer:
            raise ApiError(
                403,
                plain(viewer.t.gettext("Open this page from the bot's menu button in Telegram.")),
            )

    def _organizer(self, viewer: Viewer) -> None:
        if not viewer.organizer:
            raise ApiError(403, viewer.t.gettext("This command is for the organizers."))

    def _day(self, text: str | None, viewer: Viewer) -> date:
        try:
            return date.fromisoformat(text or "")
        except ValueError:
            raise ApiError(
                400,
                plain(
                    viewer.t.gettext(
                        "I cannot read {text} as a day. Use YYYY-MM-DD.", text=(text or "")[:20]
                    )
                ),
            ) from None

    async def _rooms_by_key(self) -> dict[str, Room]:
        return {room.key: room for room in await self._rooms.all()}

    def _session_json(
        self,
        viewer: Viewer,
        session: Session,
        attending: bool,
        rooms: Mapping[str, Room],
    ) -> JSON:
        tr = viewer.t
        room = rooms.get(room_key(session.room))
        fixed = program_views.fixed(session)
        return {
            "id": session.id,
            "title": session.title_in(tr.language),
            "day": tr.venue_date(session.start).isoformat(),
            "start": tr.time(session.start),
            "end": tr.time(session.end),
            "start_ts": int(session.start.timestamp()),
            "end_ts": int(session.end.timestamp()),
            "room": session.room,
            "track": session.track,
            "speakers": list(session.speakers),
            "kind": session.kind.value,
            "private": session.private,
            "cancelled": session.cancelled,
            "attending": attending or fixed,
            "can_toggle": viewer.delegate is not None
            and not session.cancelled
            and not fixed
            and not session.private,
            "has_map": room is not None and room.has_map_position,
        }

    async def _visible(
        self, viewer: Viewer, start: datetime, end: datetime
    ) -> list[tuple[Session, bool]]:
        """What the viewer may see: organizers everything, delegates the chat's rule."""
        programme = self._services.programme
        language = viewer.t.language
        delegate = viewer.delegate
        if viewer.organizer:
            return await programme.all_between(
                start, end, language, delegate.id if delegate else None
            )
        assert delegate is not None
        return await programme.visible_between(delegate.id, start, end, language)

    async def _visible_session(self, viewer: Viewer, session_id: str) -> tuple[Session, bool]:
        """The session if the viewer may see it; 404 exactly as if it did not exist."""
        session = await self._services.programme.get(session_id)
        if session is not None:
            day = viewer.t.venue_date(session.start)
            start, end = day_bounds(day, self._services.settings.summit.timezone)
            for candidate, attending in await self._visible(viewer, start, end):
                if candidate.id == session_id:
                    return candidate, attending
        raise ApiError(404, program_views.not_available(viewer.t))
