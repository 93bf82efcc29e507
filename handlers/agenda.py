"""/agenda, its day buttons, and /next."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.domain.agenda import day_bounds, navigation, next_up
from bot.domain.bounds import day_in_range
from bot.domain.days import parse_day, summit_days
from bot.reply import Reply
from bot.telegram.context import BotContext, RegisteredViewer
from bot.telegram.sending import edit_or_send, send
from bot.views import agenda as views
from handlers.guards import registered, registered_button

# /next looks this far ahead: the rest of the summit, but not forever.
NEXT_HORIZON = timedelta(days=14)


async def agenda_replies(context: BotContext, viewer: RegisteredViewer, day: date) -> list[Reply]:
    services = context.services
    zone = services.settings.summit.timezone
    start, end = day_bounds(day, zone)
    sessions = await services.programme.agenda_between(
        viewer.delegate.id, start, end, viewer.t.language
    )
    days = summit_days(await services.programme.span(viewer.delegate.id), zone)
    first, last = days if days else (None, None)
    rooms = await services.venue.rooms_by_key()
    return views.day_agenda(
        viewer.t,
        day,
        sessions,
        navigation(day, first, last),
        rooms,
        webapp_url=services.settings.webapp.url,
    )


@registered
async def show_agenda(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """The delegate's sessions on a day, with buttons for the days around it."""
    today = viewer.t.venue_date(context.services.clock.now())
    argument = " ".join(context.args or ()) or None
    day = parse_day(argument, today)
    if day is None:
        # Echo at most a few words back: the argument could be anything.
        await send(update, views.bad_day(viewer.t, (argument or "")[:40]))
        return
    await send(update, await agenda_replies(context, viewer, day))


@registered_button
async def agenda_button(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """A previous/next day button: show that day in place of the pressed message."""
    query = update.callback_query
    assert query is not None and query.data is not None
    try:
        day = date.fromisoformat(query.data.removeprefix(views.AGENDA_CALLBACK))
    except ValueError:
        day = None
    if day is None or not day_in_range(day):
        # Only a forged or corrupted button gets here: answer it and show nothing.
        await query.answer()
        return
    await query.answer()
    await edit_or_send(update, await agenda_replies(context, viewer, day))


@registered
async def show_next(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """What is on now and where to be next."""
    services = context.services
    now = services.clock.now()
    upcoming = await services.programme.agenda_from(
        viewer.delegate.id, now, now + NEXT_HORIZON, viewer.t.language
    )
    rooms = await services.venue.rooms_by_key()
    await send(update, views.next_sessions(viewer.t, next_up(upcoming, now), now, rooms))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("agenda", show_agenda, filters=private),
        CommandHandler("next", show_next, filters=private),
        CallbackQueryHandler(agenda_button, pattern=f"^{views.AGENDA_CALLBACK}"),
    ]
