"""What the Mini App may ask, answered with the chat's own services and rules.

Every method takes the `Viewer` that verified initData named, and checks its rights
itself: a delegate's questions are answered from `visible_between`/`agenda_between`
(the SQL forms of `bot.domain.agenda.visible_to`), so an `invited` session a delegate
does not attend never reaches the JSON at all; organizer changes go through the same
`ProgrammeEditor` as /move, /reschedule and /cancel, so delegates get the same notices.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.domain.agenda import day_bounds
from bot.domain.models import Role, Session
from bot.domain.rooms import Room, room_key
from bot.services.changes import Applied, BadTime, Refusal, parse_new_times
from bot.storage.audit import telegram_actor
from bot.storage.broadcasts import parse_command
from bot.storage.rooms import RoomStore
from bot.telegram.context import Services, Viewer
from bot.views import broadcast as broadcast_views
from bot.views import browse as program_views
from bot.views import programme_changes as change_views
from bot.webapp.bilaterals import BilateralsProvider
from bot.webapp.strings import page_strings

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


class WebappApi:
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

    async def me(self, viewer: Viewer) -> JSON:
        """Who the viewer is, the page's words in their language, and the summit's days."""
        self._registered(viewer)
        t = viewer.t
        delegate = viewer.delegate
        days = await self._days(viewer)
        today = t.venue_date(self._services.clock.now())
        start_day = today if today in days else (days[0] if days else today)
        return {
            "language": t.language,
            "dir": "rtl" if t.rtl else "ltr",
            "name": delegate.name if delegate else "",
            "delegate": delegate is not None,
            "head": delegate is not None and delegate.role is Role.HEAD,
            "organizer": viewer.organizer,
            "summit": self._services.settings.summit.name,
            "strings": page_strings(t),
            "days": [{"date": d.isoformat(), "label": t.short_day(d)} for d in days],
            "today": start_day.isoformat(),
            # The first screen of a delegate, so the page renders after one call, not two.
            "agenda": await self.agenda(viewer, start_day.isoformat()) if delegate else None,
        }

    async def _days(self, viewer: Viewer) -> list[date]:
        """The venue days that have sessions the viewer may see (not every date between)."""
        zone = self._services.settings.summit.timezone
        delegate = viewer.delegate
        starts = await self._services.programme.start_times(
            delegate.id if delegate else None, viewer.organizer
        )
        return sorted({moment.astimezone(zone).date() for moment in starts})[:MAX_DAYS]

    # ---------------------------------------------------------------- delegates

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

    async def agenda(self, viewer: Viewer, day_text: str | None) -> JSON:
        """The delegate's own sessions of a day, in time order."""
        self._registered(viewer)
        day = self._day(day_text, viewer)
        delegate = viewer.delegate
        if delegate is None:
            return {"day": day.isoformat(), "label": viewer.t.day(day), "sessions": []}
        start, end = day_bounds(day, self._services.settings.summit.timezone)
        sessions = await self._services.programme.agenda_between(
            delegate.id, start, end, viewer.t.language
        )
        rooms = await self._rooms_by_key()
        return {
            "day": day.isoformat(),
            "label": viewer.t.day(day),
            "sessions": [self._session_json(viewer, s, True, rooms) for s in sessions],
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

    async def programme(self, viewer: Viewer, day_text: str | None, query: str | None) -> JSON:
        """A day of the programme, or with a query, every matching session of the summit."""
        self._registered(viewer)
        zone = self._services.settings.summit.timezone
        words = (query or "")[:MAX_QUERY].casefold().split()[:8]
        if words:
            delegate = viewer.delegate
            span = await self._services.programme.viewer_span(
                delegate.id if delegate else None, viewer.organizer
            )
            if span is None:
                return {"sessions": []}
            start, end = span[0], span[1] + timedelta(seconds=1)
        else:
            start, end = day_bounds(self._day(day_text, viewer), zone)
        items = await self._visible(viewer, start, end)
        language = viewer.t.language
        if words:
            items = [
                (s, a) for s, a in items if all(word in _haystack(s, language) for word in words)
            ]
        rooms = await self._rooms_by_key()
        return {"sessions": [self._session_json(viewer, s, a, rooms) for s, a in items]}

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

    async def attend(self, viewer: Viewer, session_id: str, attending: bool) -> JSON:
        """Add a session to the delegate's agenda or take it off, by the chat's rules."""
        self._registered(viewer)
        delegate = viewer.delegate
        t = viewer.t
        if delegate is None:
            raise ApiError(403, program_views.not_available(t))
        session, now_attending = await self._visible_session(viewer, session_id)
        if session.private and not now_attending:
            raise ApiError(404, program_views.not_available(t))
        if session.cancelled:
            raise ApiError(409, program_views.cancelled_session(t))
        if program_views.fixed(session):
            raise ApiError(409, program_views.not_available(t))
        if session.private:
            raise ApiError(409, program_views.organizer_assigned(t))
        if attending == now_attending:
            message = (
                program_views.added(t, session) if attending else program_views.removed(t, session)
            )
            return {"ok": True, "message": plain(message)}
        programme = self._services.programme
        await programme.attend(delegate.id, session.id, attending)
        self._services.scheduler.request_replan()
        if not attending:
            return {"ok": True, "message": plain(program_views.removed(t, session))}
        during = await programme.agenda_from(delegate.id, session.start, session.end, t.language)
        clashes = [s for s in during if s.id != session.id]
        message = (
            program_views.overlaps(t, session, clashes)
            if clashes
            else program_views.added(t, session)
        )
        return {"ok": True, "message": plain(message)}

    async def room_map(self, viewer: Viewer, session_id: str) -> JSON:
        """Where a session's room is on its floor plan."""
        self._registered(viewer)
        session, _ = await self._visible_session(viewer, session_id)
        room = await self._rooms.get(session.room)
        if room is None or not room.has_map_position:
            raise ApiError(
                404, viewer.t.translations.gettext("There is no floor plan for this room yet.")
            )
        return {
            "room": room.name,
            "building": room.building,
            "floor": room.floor,
            "x": room.x,
            "y": room.y,
        }

    async def map_image(self, viewer: Viewer, session_id: str) -> MapImage:
        """The floor plan of a session's room, after the same check as `room_map`."""
        self._registered(viewer)
        session, _ = await self._visible_session(viewer, session_id)
        room = await self._rooms.get(session.room)
        missing = ApiError(
            404, viewer.t.translations.gettext("There is no floor plan for this room yet.")
        )
        if room is None or not room.has_map_position:
            raise missing
        path = Path(room.map_path)
        content_type = MAP_TYPES.get(path.suffix.lower())
        if content_type is None:
            raise missing
        return MapImage(path, content_type, missing.message)

    # ---------------------------------------------------------------- heads

    async def bilaterals(self, viewer: Viewer) -> JSON:
        """The head's delegation's requests and meetings."""
        self._registered(viewer)
        delegate = viewer.delegate
        if delegate is None or delegate.role is not Role.HEAD:
            raise ApiError(403, viewer.t.gettext("This is for heads of delegation."))
        return {"items": list(await self._bilaterals.requests(delegate, viewer.t))}

    # ---------------------------------------------------------------- organizers

    async def grid(self, viewer: Viewer, day_text: str | None) -> JSON:
        """A day as rooms × time: every session, invited ones included."""
        self._organizer(viewer)
        day = self._day(day_text, viewer)
        start, end = day_bounds(day, self._services.settings.summit.timezone)
        items = await self._visible(viewer, start, end)
        rooms = await self._rooms_by_key()
        used = sorted({s.room for s, _ in items}, key=str.casefold)
        known = sorted({*used, *(room.name for room in rooms.values())}, key=str.casefold)
        hours: list[dict[str, object]] = []
        if items:
            first = min(s.start for s, _ in items)
            last = max(s.end for s, _ in items)
            # Whole venue hours from the first start to the last end, for the grid's rows.
            mark = first.astimezone(viewer.t.timezone).replace(minute=0, second=0, microsecond=0)
            while mark < last and len(hours) < 48:
                hours.append({"ts": int(mark.timestamp()), "label": viewer.t.time(mark)})
                mark += timedelta(hours=1)
        return {
            "day": day.isoformat(),
            "label": viewer.t.day(day),
            "hours": hours,
            "rooms": used,
            "known_rooms": known,
            "sessions": [self._session_json(viewer, s, a, rooms) for s, a in items],
        }

    async def move(self, viewer: Viewer, session_id: str, room: str) -> JSON:
        self._organizer(viewer)
        room = room.strip()
        if not room or len(room) > MAX_ROOM or "\n" in room:
            raise ApiError(
                400, plain(viewer.t.gettext("A room name has 1 to 100 characters. Send it again."))
            )
        services = self._services
        result = await services.editor.move(
            session_id, room, telegram_actor(viewer.user_id), services.clock.now()
        )
        return self._changed(viewer, result, session_id, "move")

    async def reschedule(
        self, viewer: Viewer, session_id: str, start_text: str, end_text: str | None
    ) -> JSON:
        self._organizer(viewer)
        services = self._services
        session = await services.programme.get(session_id)
        if session is None:
            raise ApiError(
                404, plain(change_views.refused(viewer.t, Refusal.UNKNOWN, session_id).text)
            )
        zone = services.settings.summit.timezone
        times = parse_new_times(
            start_text.strip(), end_text.strip() if end_text else None, session.start, zone
        )
        if isinstance(times, BadTime):
            bad = change_views.bad_time(viewer.t, times.text[:40], times.problem)
            raise ApiError(400, plain(bad.text))
        start, end = times
        result = await services.editor.reschedule(
            session_id, start, end, telegram_actor(viewer.user_id), services.clock.now()
        )
        return self._changed(viewer, result, session_id, "reschedule")

    async def cancel(self, viewer: Viewer, session_id: str) -> JSON:
        self._organizer(viewer)
        services = self._services
        result = await services.editor.cancel(
            session_id, telegram_actor(viewer.user_id), services.clock.now()
        )
        return self._changed(viewer, result, session_id, "cancel")

    def _changed(
        self, viewer: Viewer, result: Applied | Refusal, session_id: str, action: str
    ) -> JSON:
        if isinstance(result, Refusal):
            status = 404 if result is Refusal.UNKNOWN else 409
            raise ApiError(status, plain(change_views.refused(viewer.t, result, session_id).text))
        self._services.scheduler.request_replan()
        self._services.worker.wake()
        return {"ok": True, "message": plain(change_views.applied(viewer.t, result, action).text)}

    async def broadcasts(self, viewer: Viewer) -> JSON:
        """The latest broadcasts and urgent notices with their delivery and acknowledgements."""
        self._organizer(viewer)
        store = self._services.broadcasts
        items = []
        for broadcast in await store.recent():
            progress = await store.progress(broadcast)
            audience, _ = parse_command(broadcast.audience)
            label = broadcast_views.audience_label(viewer.t, audience) if audience else ""
            items.append(
                {
                    "id": broadcast.id,
                    "urgent": broadcast.urgent,
                    "audience": plain(label),
                    "text": broadcast.text[:200],
                    "total": progress.total,
                    "delivered": progress.delivered,
                    "waiting": progress.waiting,
                    "failed": progress.failed + progress.unreachable,
                    "acknowledged": progress.acknowledged,
                }
            )
        return {"items": items, "at": int(time.time())}

    async def bookings(self, viewer: Viewer, day_text: str | None) -> JSON:
        """Bilateral room bookings (of one day, or all)."""
        self._organizer(viewer)
        day = self._day(day_text, viewer) if day_text else None
        return {"items": list(await self._bilaterals.bookings(day, viewer.t))}


def _haystack(session: Session, language: str) -> str:
    """What a search looks in: the title in the viewer's language (and the original),
    speakers, track and room."""
    parts: Sequence[str] = (
        session.title_in(language),
        session.title,
        *session.speakers,
        session.track,
        session.room,
    )
    return " ".join(parts).casefold()
