"""/program: browse the programme a day at a time and build one's own agenda."""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.domain.agenda import day_bounds, navigation
from bot.domain.bounds import day_in_range
from bot.domain.models import Session
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import edit_or_send, send
from bot.views import browse as views
from bot.views import general
from bot.views.reply import Reply
from handlers.common import in_private_chat, registered_viewer


async def _page(context: BotContext, viewer: Viewer, day: date, page: int) -> Reply:
    services = context.services
    start, end = day_bounds(day, services.settings.summit.timezone)
    delegate = viewer.delegate
    if viewer.organizer:
        # Organizers see every session, invited ones included, to change any of them.
        items = await services.programme.all_between(
            start, end, viewer.t.language, delegate.id if delegate else None
        )
    else:
        assert delegate is not None
        items = await services.programme.visible_between(delegate.id, start, end, viewer.t.language)
    now = services.clock.now()
    # Cancelled sessions stay listed (marked) until their day is over.
    items = [(s, a) for s, a in items if not s.cancelled or end > now]
    span = await services.programme.viewer_span(delegate.id if delegate else None, viewer.organizer)
    zone = services.settings.summit.timezone
    first = span[0].astimezone(zone).date() if span else None
    last = span[1].astimezone(zone).date() if span else None
    return views.program_page(
        viewer.t,
        day,
        items,
        page,
        navigation(day, first, last),
        organizer=viewer.organizer,
        delegate=delegate is not None,
    )


async def show_program(update: Update, context: BotContext) -> None:
    """The programme of today (or the summit's first day), with add/remove buttons."""
    viewer: Viewer | None = await context.viewer(update)
    if viewer is None or not viewer.organizer:
        viewer = await registered_viewer(update, context)
    if viewer is None:
        return
    # An organizer named in the configuration may have no delegate record: fine here.
    services = context.services
    zone = services.settings.summit.timezone
    today = services.clock.now().astimezone(zone).date()
    own = viewer.delegate
    span = await services.programme.viewer_span(own.id if own else None, viewer.organizer)
    day = today
    if span is not None:
        first, last = span[0].astimezone(zone).date(), span[1].astimezone(zone).date()
        day = first if today < first or today > last else today
    await send(update, await _page(context, viewer, day, 0))


async def program_button(update: Update, context: BotContext) -> None:
    """A page, day, add or remove button of /program."""
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = await context.viewer(update)
    if (viewer.delegate is None and not viewer.organizer) or not in_private_chat(update):
        await query.answer(general.not_registered_text(viewer.t), show_alert=True)
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
    if session.cancelled:
        return views.cancelled_session(viewer.t)
    if views.fixed(session):
        return views.not_available(viewer.t)
    if session.private:
        return views.organizer_assigned(viewer.t)
    if not await services.programme.attend(viewer.delegate.id, session.id, not attending):
        # It became invited between the page and the press.
        return views.not_available(viewer.t)
    services.scheduler.request_replan()
    if attending:
        return views.removed(viewer.t, session)
    clashes = await _overlapping(context, viewer, session)
    return views.overlaps(viewer.t, session, clashes) if clashes else views.added(viewer.t, session)


async def _overlapping(context: BotContext, viewer: Viewer, session: Session) -> list[Session]:
    """Scheduled agenda items running at any moment of `session`."""
    assert viewer.delegate is not None
    during = await context.services.programme.agenda_from(
        viewer.delegate.id, session.start, session.end, viewer.t.language
    )
    return [s for s in during if s.id != session.id]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("program", show_program, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(program_button, pattern=f"^{views.PROGRAM_CALLBACK}"),
    ]
