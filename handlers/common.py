"""Checks every handler makes before doing anything."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import send
from bot.views import general


def in_private_chat(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def registered_viewer(update: Update, context: BotContext) -> Viewer | None:
    """The viewer if they are a registered delegate; otherwise tell them how to register."""
    viewer = await context.viewer(update)
    if viewer.delegate is None:
        await send(
            update, general.help_text(viewer.t, registered=False, summit=summit_name(context))
        )
        return None
    return viewer


async def organizer_viewer(update: Update, context: BotContext) -> Viewer | None:
    """The viewer if they are an organizer; anyone else gets a refusal and nothing else."""
    viewer = await context.viewer(update)
    if not viewer.organizer:
        await send(update, general.organizers_only(viewer.t))
        return None
    return viewer


def summit_name(context: BotContext) -> str:
    return context.services.settings.summit.name
