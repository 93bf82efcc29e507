"""/where [ROOM] and the 📍 buttons: the building's pin, the plan with the room marked,
and the directions in the delegate's language.

Up to three messages per answer; they go through the bot's one governor like every other
call, so nothing here paces them. A marked plan is drawn and uploaded once per room and
language; later answers send Telegram's `file_id` of that upload.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InputFile, Location, Update, Venue
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.domain.room_search import search_rooms
from bot.domain.rooms import Room
from bot.services.floor_plans import PlanUnavailable, fingerprint, render
from bot.telegram.context import BotContext, RegisteredViewer
from bot.telegram.sending import send
from bot.views import where as views
from handlers.guards import registered, registered_button

log = logging.getLogger(__name__)

MAX_QUERY = 100
"""Longer text after /where is not a room name; it is cut before matching and echoing."""

# One upload per drawing even when several delegates ask at the same moment.
_drawing_locks: dict[tuple[str, str], asyncio.Lock] = {}


@registered
async def where(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """Without a room: the buildings and their rooms. With one: where it is."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1) if message else []
    text = parts[1].strip()[:MAX_QUERY] if len(parts) > 1 else ""
    rooms = await context.services.venue.rooms()
    if not text:
        await send(update, views.buildings(viewer.t, rooms))
        return
    found = search_rooms(text, rooms)
    if found.found is None:
        await send(update, views.unknown_room(viewer.t, text, found.suggestions))
        return
    await show_room(update, context, viewer, found.found)


@registered_button
async def where_button(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """A 📍 button: the same answer as /where with that room."""
    query = update.callback_query
    assert query is not None and query.data is not None
    wanted = query.data.removeprefix(views.WHERE_CALLBACK)
    rooms = await context.services.venue.rooms()
    room = next((r for r in rooms if views.room_hash(r.key) == wanted), None)
    if room is None:
        await query.answer(views.stale_room(viewer.t), show_alert=True)
        return
    await query.answer()
    await show_room(update, context, viewer, room)


async def show_room(
    update: Update, context: BotContext, viewer: RegisteredViewer, room: Room
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    t = viewer.t
    if room.has_location and room.latitude is not None and room.longitude is not None:
        # A Venue object: PTB's keyword form refuses a latitude or longitude of 0.
        location = Location(longitude=room.longitude, latitude=room.latitude)
        await chat.send_venue(
            venue=Venue(location, title=room.building, address=views.venue_address(t, room))
        )
    if room.has_map_position:
        await _send_map(update, context, viewer, room)
    await send(update, views.room_details(t, room))


async def _send_map(
    update: Update, context: BotContext, viewer: RegisteredViewer, room: Room
) -> None:
    chat = update.effective_chat
    assert chat is not None and room.x is not None and room.y is not None
    t = viewer.t
    label = views.map_label(t, room)
    caption = views.map_caption(t, room)
    photos = context.services.venue.photos
    lock = _drawing_locks.setdefault((room.key, t.language), asyncio.Lock())
    async with lock:
        try:
            mark = fingerprint(room.map_path, room.x, room.y, label)
        except PlanUnavailable as problem:
            # The plan moved or was deleted after the import: answer without it.
            log.warning("floor plan unavailable for a room: %s", problem)
            return
        file_id = await photos.file_id(room.key, t.language, mark)
        if file_id is not None:
            try:
                await chat.send_photo(file_id, caption=caption)
            except BadRequest as exc:
                if "file" not in str(exc).lower():
                    raise
                # Telegram forgot the file (another bot token, a wiped test server).
                await photos.forget(room.key, t.language)
            else:
                return
        try:
            drawing = await asyncio.to_thread(
                render, room.map_path, room.x, room.y, label, rtl=t.rtl
            )
        except PlanUnavailable as problem:
            log.warning("floor plan unreadable for a room: %s", problem)
            return
        sent = await chat.send_photo(
            InputFile(drawing.data, filename=drawing.file_name),
            caption=caption,
        )
        if sent.photo:
            await photos.remember(room.key, t.language, mark, sent.photo[-1].file_id)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("where", where, filters=private),
        CallbackQueryHandler(where_button, pattern=f"^{views.WHERE_CALLBACK}"),
    ]
