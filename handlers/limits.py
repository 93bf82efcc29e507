"""Refuse oversized input before any handler spends work on it (SPEC: bad input gets a
clear answer). Broadcast texts are exempt: they have their own, larger limit."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.telegram.context import BotContext
from bot.telegram.sending import send
from bot.views import errors as views

MAX_COMMAND = 300
LONG_TEXT_COMMANDS = ("/broadcast", "/urgent")


async def too_long(update: Update, context: BotContext) -> None:
    """A command longer than any real use: say so, and let no other handler see it."""
    message = update.effective_message
    text = message.text if message and message.text else ""
    command = text.split(maxsplit=1)[0].split("@")[0].lower() if text else ""
    if len(text) <= MAX_COMMAND or command in LONG_TEXT_COMMANDS:
        return
    viewer = await context.viewer(update)
    await send(update, views.command_too_long(viewer.t, len(text), MAX_COMMAND))
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, too_long)]
