"""/agenda, its day buttons, and /next."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.domain.agenda import day_bounds, navigation, next_up
from bot.domain.bounds import day_in_range
from bot.storage.venue import rooms_by_key
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import edit_or_send, send
from bot.views import agenda as views
from bot.views import general
from bot.views.reply import Reply
from handlers.common import in_private_chat, registered_viewer

# /next looks this far ahead: the rest of the summit, but not forever.
NEXT_HORIZON = timedelta(days=14)


def parse_day(text: str | None, today: date) -> date | None:
    """`today`, `tomorrow`, `YYYY-MM-DD`, or nothing (today)."""
    if text is None or text.lower() == "today":
        return today
    if text.lower() == "tomorrow":
        return today + timedelta(days=1)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day_in_range(day) else None


async def agenda_replies(context: BotContext, viewer: Viewer, day: date) -> list[Reply]:
    services = context.services
    assert viewer.delegate is not None
    zone = services.settings.summit.timezone
    start, end = day_bounds(day, zone)
    sessions = await services.programme.agenda_between(
        viewer.delegate.id, start, end, viewer.t.language
    )
    span = await services.programme.span(viewer.delegate.id)
    first, last = (
        (span[0].astimezone(zone).date(), span[1].astimezone(zone).date()) if span else (None, None)
    )
    rooms = await rooms_by_key(services.database)
    return views.day_agenda(
        viewer.t,
        day,
        sessions,
        navigation(day, first, last),
        rooms,
        webapp_url=services.settings.webapp.url,
    )


async def show_agenda(update: Update, context: BotContext) -> None:
    """The delegate's sessions on a day, with buttons for the days around it."""
    viewer = await registered_viewer(update, context)
    if viewer is None:
        return
    today = viewer.t.venue_date(context.services.clock.now())
    argument = " ".join(context.args or ()) or None
    day = parse_day(argument, today)
    if day is None:
        # Echo at most a few words back: the argument could be anything.
        await send(update, general.bad_day(viewer.t, (argument or "")[:40]))
        return
    await send(update, await agenda_replies(context, viewer, day))


async def agenda_button(update: Update, context: BotContext) -> None:
    """A previous/next day button: show that day in place of the pressed message."""
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = await context.viewer(update)
    if viewer.delegate is None or not in_private_chat(update):
        await query.answer(general.not_registered_text(viewer.t), show_alert=True)
        return
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


async def show_next(update: Update, context: BotContext) -> None:
    """What is on now and where to be next."""
    viewer = await registered_viewer(update, context)
    if viewer is None:
        return
    assert viewer.delegate is not None
    services = context.services
    now = services.clock.now()
    upcoming = await services.programme.agenda_from(
        viewer.delegate.id, now, now + NEXT_HORIZON, viewer.t.language
    )
    rooms = await rooms_by_key(services.database)
    await send(update, views.next_sessions(viewer.t, next_up(upcoming, now), now, rooms))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("agenda", show_agenda, filters=private),
        CommandHandler("next", show_next, filters=private),
        CallbackQueryHandler(agenda_button, pattern=f"^{views.AGENDA_CALLBACK}"),
    ]
