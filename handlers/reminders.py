"""/remind: how long before each session the delegate is reminded, or not at all."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.reminders import parse_lead, reminder_minutes
from bot.telegram.context import BotContext, RegisteredViewer
from bot.telegram.sending import send
from bot.views import reminders as views
from handlers.guards import registered


@registered
async def remind(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """`/remind MINUTES` (1–240) or `/remind off`; alone, it says the current setting."""
    services = context.services
    default = services.settings.reminders.lead_minutes
    args = context.args or []
    if not args:
        lead = reminder_minutes(viewer.account.reminder_lead, default)
        await send(update, views.remind_set(viewer.t, lead))
        return
    minutes = parse_lead(args)
    if minutes is None:
        await send(update, views.remind_usage(viewer.t))
        return
    await services.people.set_reminder_lead(viewer.user_id, minutes)
    services.scheduler.request_replan()
    await send(update, views.remind_set(viewer.t, reminder_minutes(minutes, default)))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("remind", remind, filters=filters.ChatType.PRIVATE)]
