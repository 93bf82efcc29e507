"""A sandboxed Telegram: an in-process Bot API emulator and simulated users.

The real bot runs unmodified against ``TelegramEmulator`` (PTB's ``base_url``), while
tests, the demo and benchmarks play the users through ``SimulatedUser`` and
``SimulatedGroup``. See ``bot.sandbox.emulator`` for the server and ``bot.sandbox.driver``
for the users' side.

The emulator, one module per Bot API area (``emulator`` is the front that wires them):

- ``emulator``: ``TelegramEmulator``, the simulated world (users, groups, what they write),
  start/stop, and ``python -m bot.sandbox.emulator``;
- ``server``: the tornado routes, ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``;
- ``dispatch``: method table, token check, ``RequestRecord`` log, error bodies;
- ``args`` and ``errors``: parameters read as the Bot API server reads them; ``ApiError``;
- ``chats``: chats, their messages and watchers, and which chats a method may use;
- ``updates``: the update queue and getUpdates long polling;
- ``webhooks``: setWebhook/deleteWebhook/getWebhookInfo and delivery bookkeeping, over
  ``webhook_sender`` (the HTTP client that POSTs updates with Telegram's retries);
- ``messages``: the one send path, the Message object, edits, deletes, chat actions;
- ``formatting`` (over ``html_entities``) and ``markup``: text, entities, keyboards;
- ``callbacks``: button presses and answerCallbackQuery;
- ``files`` and ``media``: the file store, sendDocument/getFile; sendPhoto/Venue/Location;
- ``commands`` and ``menu_button``: setMyCommands & co., the chat menu button;
- ``flood_control`` (over ``ratelimit``, the flood model): 429s and injected faults.

The names below are re-exported lazily: importing the package stays cheap, and
``python -m bot.sandbox.emulator`` does not find its own module already imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.dispatch import RequestRecord
    from bot.sandbox.driver import (
        BotMessage,
        Button,
        CallbackAnswer,
        ChatEvent,
        Document,
        SimulatedGroup,
        SimulatedUser,
    )
    from bot.sandbox.emulator import TelegramEmulator
    from bot.sandbox.flood_control import Faults
    from bot.sandbox.ratelimit import RateLimits

_HOMES = {
    "BotMessage": "bot.sandbox.driver",
    "Button": "bot.sandbox.driver",
    "CallbackAnswer": "bot.sandbox.driver",
    "ChatEvent": "bot.sandbox.driver",
    "Document": "bot.sandbox.driver",
    "SimulatedGroup": "bot.sandbox.driver",
    "SimulatedUser": "bot.sandbox.driver",
    "Faults": "bot.sandbox.flood_control",
    "RateLimits": "bot.sandbox.ratelimit",
    "RequestRecord": "bot.sandbox.dispatch",
    "TelegramEmulator": "bot.sandbox.emulator",
}

__all__ = [
    "BotMessage",
    "Button",
    "CallbackAnswer",
    "ChatEvent",
    "Document",
    "Faults",
    "RateLimits",
    "RequestRecord",
    "SimulatedGroup",
    "SimulatedUser",
    "TelegramEmulator",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
