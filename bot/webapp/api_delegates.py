"""The Mini App's calls for delegates (and heads): who am I, my agenda, the programme.

A delegate's questions are answered from `visible_between`/`agenda_between` (the SQL forms
of `bot.domain.agenda.visible_to`), so an `invited` session a delegate does not attend
never reaches the JSON at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from bot.domain.agenda import day_bounds
from bot.domain.models import Role, Session
from bot.telegram.context import Viewer
from bot.views import browse as program_views
from bot.webapp.api_common import (
    JSON,
    MAP_TYPES,
    MAX_DAYS,
    MAX_QUERY,
    ApiBase,
    ApiError,
    MapImage,
    plain,
)
from bot.webapp.strings import page_strings


class DelegateApi(ApiBase):
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
