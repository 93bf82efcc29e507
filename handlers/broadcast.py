"""Organizer broadcasts and urgent notices, their acknowledgements, and /stats."""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.domain.broadcasts import Audience, UnknownAudience, parse_command
from bot.reply import Reply
from bot.services import health
from bot.services.broadcasts import render_announcements
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import send
from bot.views import broadcast as views
from bot.views import help as help_views
from handlers.arguments import after_command
from handlers.guards import organizer_button, organizers_only


@organizers_only
async def broadcast(update: Update, context: BotContext, viewer: Viewer) -> None:
    """`/broadcast AUDIENCE TEXT`: a preview with the recipient count, and send/cancel."""
    await _preview(update, context, viewer, urgent=False)


@organizers_only
async def urgent(update: Update, context: BotContext, viewer: Viewer) -> None:
    """`/urgent AUDIENCE TEXT`: like /broadcast, ahead of everything, with acknowledgement."""
    await _preview(update, context, viewer, urgent=True)


async def _preview(update: Update, context: BotContext, viewer: Viewer, *, urgent: bool) -> None:
    command = "urgent" if urgent else "broadcast"
    message = update.effective_message
    audience, text = parse_command(after_command(message.text if message else None))
    if audience is None or not text:
        await send(update, views.usage(viewer.t, command))
        return
    await preview(update, context, viewer, audience, text, urgent=urgent)


async def preview(
    update: Update,
    context: BotContext,
    viewer: Viewer,
    audience: Audience,
    text: str,
    *,
    urgent: bool,
) -> None:
    """The preview with its recipient count and send/cancel buttons (an organizer's)."""
    t = viewer.t
    if len(text) > views.MAX_TEXT:
        await send(update, views.too_long(t, len(text)))
        return
    services = context.services
    try:
        recipients = await services.broadcasts.recipients(audience)
    except UnknownAudience:
        await send(update, views.unknown_audience(t, audience))
        return
    if not recipients:
        await send(update, views.nobody(t, audience))
        return
    broadcast_id = await services.broadcasts.create(
        viewer.user_id, audience, text, urgent, services.clock.time()
    )
    await send(
        update,
        views.preview(t, audience, text, len(recipients), urgent=urgent, broadcast_id=broadcast_id),
    )


@organizer_button(lambda t: help_views.organizers_only(t).text)
async def broadcast_button(update: Update, context: BotContext, viewer: Viewer) -> None:
    """Send or cancel a previewed broadcast; organizer rights are checked again here."""
    query = update.callback_query
    assert query is not None and query.data is not None
    action, _, raw_id = query.data.removeprefix(views.BROADCAST_CALLBACK).partition(":")
    message = query.message
    if not raw_id.isdecimal() or not isinstance(message, Message):
        await query.answer()
        return
    if action == "no":
        cancelled = await context.services.broadcasts.cancel(int(raw_id), viewer.user_id)
        await query.answer(None if cancelled else views.already_handled(viewer.t))
        if cancelled:
            await _edit(message, views.cancelled(viewer.t))
        return
    await _confirm(update, context, viewer, int(raw_id), message)


async def _confirm(
    update: Update, context: BotContext, viewer: Viewer, broadcast_id: int, message: Message
) -> None:
    services = context.services
    query = update.callback_query
    assert query is not None
    confirmed = await services.broadcasts.confirm(
        broadcast_id,
        viewer.user_id,
        lambda b, recipients: render_announcements(services.catalogs, b, recipients),
        progress_chat=message.chat_id,
        progress_message=message.message_id,
        now=services.clock.time(),
    )
    if confirmed is None:
        await query.answer(views.already_handled(viewer.t), show_alert=True)
        return
    await query.answer()
    services.worker.wake()
    audience, _ = parse_command(confirmed.audience)
    assert audience is not None
    state = await services.broadcasts.progress(confirmed)
    reply = views.progress(viewer.t, audience, state, urgent=confirmed.urgent)
    services.progress.shown(confirmed.id, reply.text)
    await _edit(message, reply)


async def _edit(message: Message, reply: Reply) -> None:
    try:
        await message.edit_text(reply.text, reply_markup=None)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def acknowledge(update: Update, context: BotContext) -> None:
    """The ✅ button under an urgent notice."""
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = await context.viewer(update)
    raw_id = query.data.removeprefix(views.ACK_CALLBACK)
    delegate = viewer.delegate
    recorded = (
        raw_id.isdecimal()
        and delegate is not None
        and await context.services.broadcasts.acknowledge(
            int(raw_id), delegate.id, context.services.clock.time()
        )
    )
    if not recorded:
        await query.answer(views.not_for_you(viewer.t), show_alert=True)
        return
    await query.answer(views.acknowledged(viewer.t))
    if isinstance(query.message, Message):
        try:
            await query.message.edit_reply_markup(reply_markup=None)
        except BadRequest as exc:
            if "not modified" not in str(exc):
                raise


@organizers_only
async def urgent_status(update: Update, context: BotContext, viewer: Viewer) -> None:
    """Who has not acknowledged the latest urgent notice yet."""
    broadcasts = context.services.broadcasts
    latest = await broadcasts.latest_urgent()
    audience = parse_command(latest.audience)[0] if latest else None
    if latest is None or audience is None:
        await send(update, views.no_urgent(viewer.t))
        return
    pending = await broadcasts.unacknowledged(latest.id)
    await send(update, views.urgent_status(viewer.t, audience, pending, latest.recipients))


@organizers_only
async def stats(update: Update, context: BotContext, viewer: Viewer) -> None:
    """Registered delegates and what the outbox holds."""
    services = context.services
    registered, total = await services.people.counts()
    counts = await services.outbox.counts()
    unreachable = await services.people.unreachable_count()
    url = services.settings.programme.source_url
    source = await health.source_state(services.database, url) if url else None
    lost = await health.lost_reply_count(services.database)
    reply = views.stats(
        viewer.t, registered, total, counts, unreachable, source=source, lost_replies=lost
    )
    await send(update, reply)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("broadcast", broadcast, filters=private),
        CommandHandler("urgent", urgent, filters=private),
        CommandHandler("urgent_status", urgent_status, filters=private),
        CommandHandler("stats", stats, filters=private),
        CallbackQueryHandler(broadcast_button, pattern=f"^{views.BROADCAST_CALLBACK}"),
        CallbackQueryHandler(acknowledge, pattern=f"^{views.ACK_CALLBACK}"),
    ]
