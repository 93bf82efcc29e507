"""The Mini App's calls for organizers: the day's grid, programme changes, broadcasts.

Changes go through the same `ProgrammeEditor` as /move, /reschedule and /cancel, so
delegates get the same notices.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.actors import telegram_actor
from bot.domain.agenda import day_bounds
from bot.domain.broadcasts import parse_command
from bot.domain.changes import Applied, Refusal
from bot.services.changes import BadTime, parse_new_times
from bot.telegram.context import Viewer
from bot.views import broadcast as broadcast_views
from bot.views import programme_changes as change_views
from bot.webapp.api_common import JSON, MAX_ROOM, ApiBase, ApiError, plain


class OrganizerApi(ApiBase):
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
        return {"items": items, "at": int(self._services.clock.time())}

    async def bookings(self, viewer: Viewer, day_text: str | None) -> JSON:
        """Bilateral room bookings (of one day, or all)."""
        self._organizer(viewer)
        day = self._day(day_text, viewer) if day_text else None
        return {"items": list(await self._bilaterals.bookings(day, viewer.t))}
