"""Organizer changes to the programme: /move, /reschedule, /cancel, and files sent in."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.importers import MAX_FILE_BYTES
from bot.services.changes import Applied, BadTime, Refusal, parse_new_times
from bot.services.imports import SourceFile
from bot.storage.audit import telegram_actor
from bot.storage.venue import overcrowded
from bot.telegram.context import BotContext
from bot.telegram.sending import send
from bot.views import programme_changes as views
from bot.views.where import capacity_warning
from handlers.common import organizer_viewer


def _arguments(update: Update) -> list[str]:
    """The words after the command; the last argument of /move keeps its spaces."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=2) if message else []
    return parts[1:]


async def move(update: Update, context: BotContext) -> None:
    """`/move SESSION_ID NEW ROOM`: the room changes now and its delegates are told."""
    viewer = await organizer_viewer(update, context)
    if viewer is None:
        return
    args = _arguments(update)
    if len(args) < 2 or not args[1].strip() or len(args[1]) > 100:
        await send(update, views.usage(viewer.t, "move"))
        return
    services = context.services
    result = await services.editor.move(
        args[0], args[1].strip(), telegram_actor(viewer.user_id), services.clock.now()
    )
    warnings: list[str] = []
    if isinstance(result, Applied):
        crowded = await overcrowded(
            services.database, int(services.clock.now().timestamp()), [result.after.id]
        )
        warnings = [capacity_warning(viewer.t, item) for item in crowded]
    await _answer(update, context, result, args[0], "move", warnings)


async def reschedule(update: Update, context: BotContext) -> None:
    """`/reschedule SESSION_ID START [END]`: without END the session keeps its length."""
    viewer = await organizer_viewer(update, context)
    if viewer is None:
        return
    args = context.args or []
    if len(args) not in (2, 3):
        await send(update, views.usage(viewer.t, "reschedule"))
        return
    services = context.services
    session = await services.programme.get(args[0])
    if session is None:
        await send(update, views.refused(viewer.t, Refusal.UNKNOWN, args[0]))
        return
    zone = services.settings.summit.timezone
    times = parse_new_times(args[1], args[2] if len(args) == 3 else None, session.start, zone)
    if isinstance(times, BadTime):
        await send(update, views.bad_time(viewer.t, times.text[:40], times.problem))
        return
    start, end = times
    result = await services.editor.reschedule(
        args[0], start, end, telegram_actor(viewer.user_id), services.clock.now()
    )
    await _answer(update, context, result, args[0], "reschedule")


async def cancel(update: Update, context: BotContext) -> None:
    """`/cancel SESSION_ID`: cancelled for everyone who has it; they are told."""
    viewer = await organizer_viewer(update, context)
    if viewer is None:
        return
    args = context.args or []
    if len(args) != 1:
        await send(update, views.usage(viewer.t, "cancel"))
        return
    services = context.services
    result = await services.editor.cancel(
        args[0], telegram_actor(viewer.user_id), services.clock.now()
    )
    await _answer(update, context, result, args[0], "cancel")


async def _answer(
    update: Update,
    context: BotContext,
    result: Applied | Refusal,
    session_id: str,
    action: str,
    warnings: Sequence[str] = (),
) -> None:
    viewer = await context.viewer(update)
    if isinstance(result, Refusal):
        await send(update, views.refused(viewer.t, result, session_id))
        return
    context.services.scheduler.request_replan()
    context.services.worker.wake()
    await send(update, views.applied(viewer.t, result, action, warnings))


async def import_document(update: Update, context: BotContext) -> None:
    """A CSV, XML or JSON file from an organizer: imported exactly like `summitbot import`."""
    viewer = await organizer_viewer(update, context)
    if viewer is None:
        return
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
