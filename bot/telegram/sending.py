"""Turning `Reply` values into Telegram messages, and back from button presses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, WebAppInfo
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.reply import Reply, fit
from bot.telegram.governor import Governor
from bot.telegram.webhook_slot import hold


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    button.text,
                    callback_data=button.data,
                    url=button.url,
                    web_app=WebAppInfo(button.web_app) if button.web_app else None,
                )
                for button in row
            ]
            for row in reply.buttons
        ]
    )


def _payload(method: str, reply: Reply, **target: int) -> dict[str, Any]:
    payload: dict[str, Any] = {"method": method, **target, "text": reply.text}
    # Written out here: a webhook response is raw JSON, which the bot's Defaults never see.
    payload["parse_mode"] = ParseMode.HTML.value
    keyboard = markup(reply)
    if keyboard is not None:
        payload["reply_markup"] = keyboard.to_dict()
    return payload


def _admission(update: Update, chat_id: int) -> Callable[[], bool]:
    """The governor's consent for a reply that would travel in the webhook response."""
    governor = getattr(update.get_bot(), "rate_limiter", None)
    if isinstance(governor, Governor):
        return lambda: governor.admit_now(chat_id)
    return lambda: True


async def send(update: Update, replies: Reply | Sequence[Reply]) -> None:
    """Answer in the chat the update came from, one message per Reply.

    In webhook mode the first reply may travel back in the webhook response instead
    (bot.telegram.webhook); any later call sends it first, so the order never changes.
    """
    chat = update.effective_chat
    if chat is None:
        return
    for reply in fit(replies):
        if hold(_payload("sendMessage", reply, chat_id=chat.id), _admission(update, chat.id)):
            continue
        await chat.send_message(
            reply.text,
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
    first, *rest = fit(replies)
    target = {"chat_id": message.chat_id, "message_id": message.message_id}
    if hold(_payload("editMessageText", first, **target), _admission(update, message.chat_id)):
        # An identical edit fails at Telegram after the response; nobody needs to know.
        if rest:
            await send(update, rest)
        return
    try:
        await message.edit_text(first.text, reply_markup=markup(first))
    except BadRequest as exc:
        # Pressing the button for the day already shown changes nothing; that is fine.
        if "not modified" not in str(exc):
            raise
    if rest:
        await send(update, rest)
