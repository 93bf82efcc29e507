"""/program: browse the programme a day at a time and build one's own agenda."""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.domain.agenda import (
    NotChoosable,
    choice_refused,
    day_bounds,
    navigation,
    still_listed,
)
from bot.domain.bounds import day_in_range
from bot.domain.days import opening_day, summit_days
from bot.domain.models import Delegate, Session
from bot.reply import Reply
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import edit_or_send, send
from bot.views import browse as views
from bot.views import help as help_views
from handlers.guards import in_private_chat, registered_or_organizer


async def _page(context: BotContext, viewer: Viewer, day: date, page: int) -> Reply:
    services = context.services
    start, end = day_bounds(day, services.settings.summit.timezone)
    delegate = viewer.delegate
    if viewer.organizer:
        # Organizers see every session, invited ones included, to change any of them.
        items = await services.programme.all_between(
            start, end, viewer.t.language, delegate.id if delegate else None
        )
    elif delegate is not None:
        items = await services.programme.visible_between(delegate.id, start, end, viewer.t.language)
    else:  # pragma: no cover - the guards let only organizers in without a delegate
        items = []
    now = services.clock.now()
    # Cancelled sessions stay listed (marked) until their day is over.
    items = [(s, a) for s, a in items if still_listed(s, end, now)]
    span = await services.programme.viewer_span(delegate.id if delegate else None, viewer.organizer)
    days = summit_days(span, services.settings.summit.timezone)
    first, last = days if days else (None, None)
    return views.program_page(
        viewer.t,
        day,
        items,
        page,
        navigation(day, first, last),
        organizer=viewer.organizer,
        delegate=delegate is not None,
    )


@registered_or_organizer
async def show_program(update: Update, context: BotContext, viewer: Viewer) -> None:
    """The programme of today (or the summit's first day), with add/remove buttons."""
    # An organizer named in the configuration may have no delegate record: fine here.
    services = context.services
    zone = services.settings.summit.timezone
    today = services.clock.now().astimezone(zone).date()
    own = viewer.delegate
    span = await services.programme.viewer_span(own.id if own else None, viewer.organizer)
    day = opening_day(today, summit_days(span, zone))
    await send(update, await _page(context, viewer, day, 0))


async def program_button(update: Update, context: BotContext) -> None:
    """A page, day, add or remove button of /program."""
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = await context.viewer(update)
    if (viewer.delegate is None and not viewer.organizer) or not in_private_chat(update):
        await query.answer(help_views.not_registered_text(viewer.t), show_alert=True)
        return
    parts = query.data.removeprefix(views.PROGRAM_CALLBACK).split(":")
    try:
        day, page = date.fromisoformat(parts[1]), int(parts[2])
        if not day_in_range(day):
            raise ValueError(day)
    except (IndexError, ValueError):
        await query.answer(views.not_available(viewer.t), show_alert=True)
        return
    if parts[0] == "t" and len(parts) == 4:
        answer = await _toggle(context, viewer, day, parts[3])
        await query.answer(answer, show_alert=len(answer) > 60)
    else:
        await query.answer()
    await edit_or_send(update, [await _page(context, viewer, day, page)])


async def _toggle(context: BotContext, viewer: Viewer, day: date, key: str) -> str:
    services = context.services
    if viewer.delegate is None:
        return views.not_available(viewer.t)
    start, end = day_bounds(day, services.settings.summit.timezone)
    items = await services.programme.visible_between(
        viewer.delegate.id, start, end, viewer.t.language
    )
    match = [(s, a) for s, a in items if views.session_key(s.id) == key]
    if not match:
        return views.not_available(viewer.t)
    session, attending = match[0]
    refused = choice_refused(session)
    if refused is NotChoosable.CANCELLED:
        return views.cancelled_session(viewer.t)
    if refused is NotChoosable.OPEN_PLENARY:
        return views.not_available(viewer.t)
    if refused is NotChoosable.ASSIGNED:
        return views.organizer_assigned(viewer.t)
    if not await services.programme.attend(viewer.delegate.id, session.id, not attending):
        # It became invited between the page and the press.
        return views.not_available(viewer.t)
    services.scheduler.request_replan()
    if attending:
        return views.removed(viewer.t, session)
    clashes = await _overlapping(context, viewer.delegate, viewer, session)
    return views.overlaps(viewer.t, session, clashes) if clashes else views.added(viewer.t, session)


async def _overlapping(
    context: BotContext, delegate: Delegate, viewer: Viewer, session: Session
) -> list[Session]:
    """Scheduled agenda items running at any moment of `session`."""
    during = await context.services.programme.agenda_from(
        delegate.id, session.start, session.end, viewer.t.language
    )
    return [s for s in during if s.id != session.id]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("program", show_program, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(program_button, pattern=f"^{views.PROGRAM_CALLBACK}"),
    ]
