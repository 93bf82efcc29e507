"""/remind: how long before each session the delegate is reminded, or not at all."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.telegram.context import BotContext
from bot.telegram.sending import send
from bot.views import programme_changes as views
from handlers.common import registered_viewer

MAX_LEAD = 240


async def remind(update: Update, context: BotContext) -> None:
    """`/remind MINUTES` (1–240) or `/remind off`; alone, it says the current setting."""
    viewer = await registered_viewer(update, context)
    if viewer is None or viewer.account is None:
        return
    services = context.services
    default = services.settings.reminders.lead_minutes
    args = context.args or []
    if not args:
        await send(update, views.remind_set(viewer.t, viewer.account.reminder_lead, default))
        return
    word = args[0].lower()
    # isdecimal, not isdigit: "²" is a digit int() refuses; "٣٠" is a decimal it reads.
    minutes = 0 if word in {"off", "0"} else int(word) if word.isdecimal() else -1
    if len(args) != 1 or not 0 <= minutes <= MAX_LEAD:
        await send(update, views.remind_usage(viewer.t))
        return
    await services.people.set_reminder_lead(viewer.user_id, minutes)
    services.scheduler.request_replan()
    await send(update, views.remind_set(viewer.t, minutes, default))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("remind", remind, filters=filters.ChatType.PRIVATE)]
