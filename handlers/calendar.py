"""/calendar: the delegate's agenda as an .ics file that phone calendars import."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.calendar_ics import agenda_calendar
from bot.telegram.context import BotContext
from bot.telegram.sending import send
from bot.views import calendar as views
from handlers.common import registered_viewer, summit_name

# The whole programme, past days included: a delegate who imports the file mid-summit
# still gets the earlier days updated (a cancellation, a room) rather than left stale.
EVERYTHING_FROM = datetime(1970, 1, 1, tzinfo=UTC)
EVERYTHING_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)


def reminder_minutes(own_lead: int | None, summit_default: int) -> int | None:
    """The delegate's effective reminder lead: their own, else the summit's; None if off.

    `/remind off` stores 0; a delegate who never chose has None and gets the default.
    """
    if own_lead is None:
        return summit_default
    return own_lead or None


async def send_calendar(update: Update, context: BotContext) -> None:
    """The delegate's agenda (open plenaries and their own sessions) as one .ics file."""
    viewer = await registered_viewer(update, context)
    if viewer is None:
        return
    assert viewer.delegate is not None and viewer.account is not None
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
    await chat.send_document(
        data, filename=views.FILE_NAME, caption=caption.text, parse_mode=ParseMode.HTML
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("calendar", send_calendar, filters=filters.ChatType.PRIVATE)]
