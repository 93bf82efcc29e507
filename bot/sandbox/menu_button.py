"""setChatMenuButton / getChatMenuButton: the button beside a private chat's input field.

Kept as Telegram keeps it: one default button for all private chats, and optionally one
per chat that overrides it. A `web_app` button must open an https URL; like the Bot API
server run with `--local` for webhooks, the emulator also accepts plain http on the
loopback interface, where tests run the Mini App.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from bot.sandbox.args import JSON, Args, Handler, to_integer
from bot.sandbox.chats import Chats
from bot.sandbox.errors import bad_request

DEFAULT: JSON = {"type": "commands"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _checked(raw: Any) -> JSON:
    if not isinstance(raw, dict):
        raise bad_request("can't parse menu button JSON object")
    kind = raw.get("type")
    if kind in ("commands", "default"):
        return {"type": kind}
    if kind != "web_app":
        raise bad_request("unsupported menu button type")
    text = raw.get("text")
    web_app = raw.get("web_app")
    url = web_app.get("url") if isinstance(web_app, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise bad_request("menu button text is empty")
    if not isinstance(url, str):
        raise bad_request("web_app url is missing")
    parts = urlsplit(url)
    if not parts.hostname or not (
        parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    ):
        raise bad_request("BUTTON_URL_INVALID")
    return {"type": "web_app", "text": text, "web_app": {"url": url}}


class MenuButtons:
    """The default menu button and the per-chat ones."""

    def __init__(self, chats: Chats) -> None:
        self._chats = chats
        self._default: JSON = DEFAULT
        self._per_chat: dict[int, JSON] = {}

    def _chat_id(self, args: Args) -> int | None:
        raw = args.arg("chat_id")
        if not raw:
            return None
        chat_id = to_integer(raw)
        if not self._chats.knows_private_chat(chat_id):
            raise bad_request("chat not found")
        return chat_id

    def table(self) -> dict[str, Handler]:
        return {"setChatMenuButton": self.set, "getChatMenuButton": self.get}

    async def set(self, args: Args) -> bool:
        chat_id = self._chat_id(args)
        raw = args.json_arg("menu_button", "can't parse menu button JSON object")
        button = DEFAULT if raw is None else _checked(raw)
        if chat_id is None:
            self._default = button
        elif button["type"] == "default":
            self._per_chat.pop(chat_id, None)
        else:
            self._per_chat[chat_id] = button
        return True

    async def get(self, args: Args) -> JSON:
        return self.for_chat(self._chat_id(args))

    def for_chat(self, chat_id: int | None) -> JSON:
        """The button a chat shows (for tests): its own, else the default."""
        if chat_id is not None and chat_id in self._per_chat:
            return dict(self._per_chat[chat_id])
        return dict(self._default)
