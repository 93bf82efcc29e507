"""Organizer changes to the programme: /move, /reschedule, /cancel, and files sent in."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.domain.actors import telegram_actor
from bot.domain.changes import Applied, Refusal
from bot.importers import MAX_FILE_BYTES
from bot.services.changes import BadTime, parse_new_times
from bot.services.imports import SourceFile
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import edit_or_send, send
from bot.views import programme_changes as views
from bot.views.where import capacity_warning
from handlers.arguments import (
    cancel_argument,
    move_arguments,
    reschedule_arguments,
)
from handlers.guards import organizers_only


@organizers_only
async def move(update: Update, context: BotContext, viewer: Viewer) -> None:
    """`/move SESSION_ID NEW ROOM`: the room changes now and its delegates are told."""
    message = update.effective_message
    args = move_arguments(message.text if message else None)
    if args is None:
        await send(update, views.usage(viewer.t, "move"))
        return
    services = context.services
    result = await services.editor.move(
        args.session_id, args.room, telegram_actor(viewer.user_id), services.clock.now()
    )
    warnings: list[str] = []
    if isinstance(result, Applied):
        crowded = await services.venue.overcrowded([result.after.id], services.clock.now())
        warnings = [capacity_warning(viewer.t, item) for item in crowded]
    await answer_change(update, context, viewer, result, args.session_id, "move", warnings)


@organizers_only
async def reschedule(update: Update, context: BotContext, viewer: Viewer) -> None:
    """`/reschedule SESSION_ID START [END]`: without END the session keeps its length."""
    args = reschedule_arguments(context.args or [])
    if args is None:
        await send(update, views.usage(viewer.t, "reschedule"))
        return
    services = context.services
    session = await services.programme.get(args.session_id)
    if session is None:
        await send(update, views.refused(viewer.t, Refusal.UNKNOWN, args.session_id))
        return
    zone = services.settings.summit.timezone
    times = parse_new_times(args.start, args.end, session.start, zone)
    if isinstance(times, BadTime):
        await send(update, views.bad_time(viewer.t, times.text[:40], times.problem))
        return
    start, end = times
    result = await services.editor.reschedule(
        args.session_id, start, end, telegram_actor(viewer.user_id), services.clock.now()
    )
    await answer_change(update, context, viewer, result, args.session_id, "reschedule")


@organizers_only
async def cancel(update: Update, context: BotContext, viewer: Viewer) -> None:
    """`/cancel SESSION_ID`: cancelled for everyone who has it; they are told."""
    session_id = cancel_argument(context.args or [])
    if session_id is None:
        await send(update, views.usage(viewer.t, "cancel"))
        return
    services = context.services
    result = await services.editor.cancel(
        session_id, telegram_actor(viewer.user_id), services.clock.now()
    )
    await answer_change(update, context, viewer, result, session_id, "cancel")


async def answer_change(
    update: Update,
    context: BotContext,
    viewer: Viewer,
    result: Applied | Refusal,
    session_id: str,
    action: str,
    warnings: Sequence[str] = (),
    *,
    edit: bool = False,
) -> None:
    """The answer to /move, /reschedule and /cancel, and to the same change made with the
    edit buttons (`edit`: the pressed message takes it)."""
    if isinstance(result, Refusal):
        reply = views.refused(viewer.t, result, session_id)
    else:
        context.services.scheduler.request_replan()
        context.services.worker.wake()
        reply = views.applied(viewer.t, result, action, warnings)
    if edit:
        await edit_or_send(update, [reply])
    else:
        await send(update, reply)


@organizers_only
async def import_document(update: Update, context: BotContext, viewer: Viewer) -> None:
    """A CSV, XML or JSON file from an organizer: imported exactly like `summitbot import`."""
    message = update.effective_message
    document = message.document if message else None
    if document is None:
        return
    if document.file_size is None or document.file_size > MAX_FILE_BYTES:
        await send(update, views.file_too_big(viewer.t))
        return
    telegram_file = await document.get_file()
    data = bytes(await telegram_file.download_as_bytearray())
    services = context.services
    report = await services.importer(
        [SourceFile(document.file_name or "file", data)], telegram_actor(viewer.user_id)
    )
    if report.ok:
        services.scheduler.request_replan()
        services.worker.wake()
    await send(update, views.import_report(viewer.t, report))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("move", move, filters=private),
        CommandHandler("reschedule", reschedule, filters=private),
        CommandHandler("cancel", cancel, filters=private),
        MessageHandler(private & filters.Document.ALL, import_document),
    ]
