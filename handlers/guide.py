"""/help, anything the bot does not understand, and group chats."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.domain.models import Role
from bot.telegram.context import BotContext
from bot.telegram.sending import send
from bot.views import help as views
from handlers.guards import summit_name


async def show_help(update: Update, context: BotContext) -> None:
    """What the sender can do, in their language."""
    await _help(update, context, unknown=False)


async def unknown(update: Update, context: BotContext) -> None:
    """A command the bot does not have, or plain text: answer with help, never silence."""
    await _help(update, context, unknown=True)


async def _help(update: Update, context: BotContext, *, unknown: bool) -> None:
    viewer = await context.viewer(update)
    render = views.unknown_command if unknown else views.help_text
    reply = render(
        viewer.t,
        registered=viewer.delegate is not None,
        summit=summit_name(context),
        organizer=viewer.organizer,
        head=viewer.delegate is not None and viewer.delegate.role is Role.HEAD,
    )
    await send(update, reply)


async def group_command(update: Update, context: BotContext) -> None:
    """In a group nothing private is shown: point to a private chat instead."""
    viewer = await context.viewer(update)
    await send(update, views.write_privately(viewer.t, context.bot.username))


def group_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """First of all: any command in a group or channel gets the same private-chat pointer."""
    return [MessageHandler(filters.COMMAND & ~filters.ChatType.PRIVATE, group_command)]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("help", show_help, filters=filters.ChatType.PRIVATE)]


async def stale_button(update: Update, context: BotContext) -> None:
    """A button no handler knows (an old message, forged data): Telegram shows a spinner
    until every press is answered, so answer it."""
    query = update.callback_query
    assert query is not None
    viewer = await context.viewer(update)
    await query.answer(views.button_expired(viewer.t))


def fallback_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Last: whatever no other handler took in a private chat, and any unknown button."""
    return [
        MessageHandler(filters.ChatType.PRIVATE & (filters.COMMAND | filters.TEXT), unknown),
        CallbackQueryHandler(stale_button),
    ]
