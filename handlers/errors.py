"""The last line of defence: log the failure, tell the user, keep serving."""

from __future__ import annotations

import logging

from telegram import Update

from bot.telegram.context import BotContext
from bot.telegram.sending import send
from bot.views import errors as views

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the exception with the update's id only (never its private content)."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        viewer = await context.viewer(update)
        if update.callback_query is not None:
            await update.callback_query.answer()
        await send(update, views.something_went_wrong(viewer.t))
    except Exception:  # the apology itself failed (Telegram down?): already logged above
        logger.warning("could not tell the user about the error in update %s", update_id)
