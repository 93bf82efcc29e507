"""/forget: the delegate takes their Telegram account out of the bot, after confirming."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.telegram.context import BotContext
from bot.telegram.sending import edit_or_send, send
from bot.views import forget as views


async def ask(update: Update, context: BotContext) -> None:
    """Ask for confirmation first: forgetting cannot be undone."""
    viewer = await context.viewer(update)
    if viewer.account is None:
        await send(update, views.nothing_to_forget(viewer.t))
        return
    await send(update, views.forget_confirm(viewer.t))


async def confirm(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = await context.viewer(update)
    await query.answer()
    if query.data != f"{views.FORGET_CALLBACK}yes" or viewer.account is None:
        await edit_or_send(update, [views.forget_kept(viewer.t)])
        return
    await context.services.people.forget(viewer.user_id)
    context.services.scheduler.request_replan()
    await edit_or_send(update, [views.forgotten(viewer.t)])


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("forget", ask, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(confirm, pattern=f"^{views.FORGET_CALLBACK}"),
    ]
