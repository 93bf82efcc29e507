"""reply_markup: inline and reply keyboards checked as the Bot API server checks them.

``parse_reply_markup`` returns the markup as Telegram echoes it back (empty keyboards
read as none); ``buttons_of`` gives the driver's view of an inline keyboard.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.args import JSON, Args, string_field
from bot.sandbox.driver import Button
from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.html_entities import checked_link

MAX_CALLBACK_DATA_BYTES = 64
INLINE_BUTTON_KINDS = (
    "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
)  # fmt: skip


def _inline_button(raw: Any) -> JSON:
    """Validates one InlineKeyboardButton; returns it as Telegram echoes it back."""
    if not isinstance(raw, dict):
        raise ValueError("InlineKeyboardButton must be an Object")
    text = string_field(raw, "text", required=True)
    url = string_field(raw, "url")
    if url:
        if not checked_link(url):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        return {"text": text, "url": url}
    data = string_field(raw, "callback_data")
    if data:
        if len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return {"text": text, "callback_data": data}
    for kind in INLINE_BUTTON_KINDS:
        if kind in raw:
            return {"text": text, kind: raw[kind]}
    raise ValueError("Text buttons are unallowed in the inline keyboard")


def _rows(value: Any, field_name: str, owner: str) -> list[list[Any]]:
    if not isinstance(value, list):
        raise bad_request(f'Field "{field_name}" of the {owner} must be an Array')
    if not all(isinstance(row, list) for row in value):
        raise bad_request(f'Field "{field_name}" of the {owner} must be an Array of Arrays')
    return value


def _inline_keyboard(value: Any) -> JSON | None:
    rows = []
    for row in _rows(value, "inline_keyboard", "InlineKeyboardMarkup"):
        try:
            buttons = [_inline_button(button) for button in row]
        except ValueError as error:
            raise bad_request(f"Can't parse inline keyboard button: {error}") from None
        if buttons:
            rows.append(buttons)
    return {"inline_keyboard": rows} if rows else None


def _reply_keyboard(markup: JSON) -> JSON:
    for row in _rows(markup["keyboard"], "keyboard", "ReplyKeyboardMarkup"):
        for button in row:
            if isinstance(button, dict):
                try:
                    string_field(button, "text", required=True)
                except ValueError as error:
                    raise bad_request(f"Can't parse keyboard button: {error}") from None
            elif not isinstance(button, str):
                raise bad_request(
                    "Can't parse keyboard button: KeyboardButton must be a String or an Object"
                )
    return markup


def parse_reply_markup(args: Args) -> JSON | None:
    """reply_markup as Client::get_reply_markup reads it; None for no (or empty) markup."""
    markup = args.json_arg("reply_markup", "Can't parse reply keyboard markup JSON object")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("Object expected as reply markup")
    if markup.get("inline_keyboard") is not None:
        return _inline_keyboard(markup["inline_keyboard"])
    if markup.get("keyboard") is not None:
        return _reply_keyboard(markup)
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return markup
    return None


def buttons_of(markup: JSON | None) -> list[list[Button]]:
    """The driver's view of an inline keyboard."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
        for row in markup["inline_keyboard"]
    ]
