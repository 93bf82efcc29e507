"""/calendar: the delegate's agenda as an .ics file that phone calendars import."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.calendar_ics import agenda_calendar
from bot.domain.reminders import reminder_minutes
from bot.telegram.context import BotContext, RegisteredViewer
from bot.telegram.sending import send
from bot.views import calendar as views
from handlers.guards import registered, summit_name

# The whole programme, past days included: a delegate who imports the file mid-summit
# still gets the earlier days updated (a cancellation, a room) rather than left stale.
EVERYTHING_FROM = datetime(1970, 1, 1, tzinfo=UTC)
EVERYTHING_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)


@registered
async def send_calendar(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """The delegate's agenda (open plenaries and their own sessions) as one .ics file."""
    services = context.services
    sessions = await services.programme.agenda_between(
        viewer.delegate.id, EVERYTHING_FROM, EVERYTHING_UNTIL, viewer.t.language
    )
    if not sessions:
        await send(update, views.nothing_to_export(viewer.t))
        return
    summit = summit_name(context)
    data = agenda_calendar(
        sessions,
        language=viewer.t.language,
        venue=services.settings.summit.timezone,
        summit_name=summit,
        reminder_minutes=reminder_minutes(
            viewer.account.reminder_lead, services.settings.reminders.lead_minutes
        ),
        now=services.clock.now(),
    )
    chat = update.effective_chat
    assert chat is not None
    caption = views.calendar_caption(viewer.t, len(sessions), summit)
    # The caption is HTML like every answer: the application's Defaults say so.
    await chat.send_document(data, filename=views.FILE_NAME, caption=caption.text)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("calendar", send_calendar, filters=filters.ChatType.PRIVATE)]
