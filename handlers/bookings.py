"""/bookings: the organizers' view of the bilateral rooms, rooms × time, by day."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.domain.actors import telegram_actor
from bot.domain.agenda import day_bounds
from bot.domain.days import opening_day, summit_days
from bot.reply import Reply
from bot.services.bilaterals import Refusal
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import edit_or_send, send
from bot.views import bilateral_rooms as views
from bot.views import bilaterals
from handlers.guards import organizer_button, organizers_only


async def _day_view(context: BotContext, viewer: Viewer, day: date) -> list[Reply]:
    services = context.services
    start, end = day_bounds(day, services.settings.summit.timezone)
    bookings = await services.bilaterals.between(start, end, services.clock.now())
    rooms = [(room.name, room.capacity) for room in await services.bilaterals.pool_rooms()]
    return views.bookings_day(
        viewer.t,
        day,
        rooms,
        bookings,
        approval=services.settings.bilaterals.needs_approval,
        previous=day - timedelta(days=1),
        following=day + timedelta(days=1),
    )


async def _default_day(context: BotContext) -> date:
    services = context.services
    zone = services.settings.summit.timezone
    today = services.clock.now().astimezone(zone).date()
    # Organizers only: bookings are private sessions, so the whole programme counts.
    return opening_day(today, summit_days(await services.programme.full_span(), zone))


@organizers_only
async def show_bookings(update: Update, context: BotContext, viewer: Viewer) -> None:
    """`/bookings [YYYY-MM-DD]`: every bilateral room that day with its bookings."""
    args = context.args or []
    if args:
        try:
            day = date.fromisoformat(args[0])
        except ValueError:
            await send(update, views.bad_date(viewer.t, args[0][:20]))
            return
    else:
        day = await _default_day(context)
    await send(update, await _day_view(context, viewer, day))


@organizer_button(bilaterals.not_available)
async def bookings_button(update: Update, context: BotContext, viewer: Viewer) -> None:
    """A day button (`bk:DATE`) or an approval button (`bl:ok:N`, `bl:no:N`)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    data = query.data
    if data.startswith(views.BOOKINGS_CALLBACK):
        try:
            day = date.fromisoformat(data.removeprefix(views.BOOKINGS_CALLBACK))
        except ValueError:
            await query.answer(bilaterals.not_available(viewer.t), show_alert=True)
            return
        await query.answer()
        await edit_or_send(update, await _day_view(context, viewer, day))
        return
    parts = data.split(":")
    try:
        booking_id = int(parts[2])
    except (IndexError, ValueError):
        booking_id = 0
    now = services.clock.now()
    result = await services.bilaterals.decide(
        telegram_actor(viewer.user_id), booking_id, parts[1] == "ok", now
    )
    if isinstance(result, Refusal):
        await query.answer(bilaterals.not_available(viewer.t), show_alert=True)
        return
    services.worker.wake()
    services.scheduler.request_replan()
    await query.answer(views.decided(viewer.t, result), show_alert=True)
    day = result.start.astimezone(services.settings.summit.timezone).date()
    await edit_or_send(update, await _day_view(context, viewer, day))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("bookings", show_bookings, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(
            bookings_button, pattern=f"^({views.BOOKINGS_CALLBACK}|{bilaterals.CALLBACK}(ok|no):)"
        ),
    ]
