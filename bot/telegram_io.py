"""Turning `Reply` values into Telegram messages, and back from button presses."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.views.reply import Reply


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(button.text, callback_data=button.data, url=button.url)
                for button in row
            ]
            for row in reply.buttons
        ]
    )


async def send(update: Update, replies: Reply | Sequence[Reply]) -> None:
    """Answer in the chat the update came from, one message per Reply."""
    chat = update.effective_chat
    if chat is None:
        return
    for reply in [replies] if isinstance(replies, Reply) else replies:
        await chat.send_message(
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply),
            link_preview_options=None,
        )


async def edit_or_send(update: Update, replies: Sequence[Reply]) -> None:
    """Show replies in place of the message whose button was pressed.

    The pressed message takes the first reply; if the new content needs more messages
    (a long day), the rest follow as new messages.
    """
    query = update.callback_query
    message = query.message if query else None
    if not isinstance(message, Message):
        await send(update, replies)
        return
    first, *rest = replies
    try:
        await message.edit_text(first.text, parse_mode=ParseMode.HTML, reply_markup=markup(first))
    except BadRequest as exc:
        # Pressing the button for the day already shown changes nothing; that is fine.
        if "not modified" not in str(exc):
            raise
    if rest:
        await send(update, rest)
