"""A sandboxed Telegram: an in-process Bot API emulator and simulated users.

The real bot runs unmodified against ``TelegramEmulator`` (PTB's ``base_url``), while
tests, the demo and benchmarks play the users through ``SimulatedUser`` and
``SimulatedGroup``. See ``bot.sandbox.emulator`` for the server and ``bot.sandbox.driver``
for the users' side.

The names below are re-exported lazily: importing the package stays cheap, and
``python -m bot.sandbox.emulator`` does not find its own module already imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.driver import (
        BotMessage,
        Button,
        CallbackAnswer,
        ChatEvent,
        Document,
        SimulatedGroup,
        SimulatedUser,
    )
    from bot.sandbox.emulator import Faults, RateLimits, RequestRecord, TelegramEmulator

_HOMES = {
    "BotMessage": "bot.sandbox.driver",
    "Button": "bot.sandbox.driver",
    "CallbackAnswer": "bot.sandbox.driver",
    "ChatEvent": "bot.sandbox.driver",
    "Document": "bot.sandbox.driver",
    "SimulatedGroup": "bot.sandbox.driver",
    "SimulatedUser": "bot.sandbox.driver",
    "Faults": "bot.sandbox.emulator",
    "RateLimits": "bot.sandbox.emulator",
    "RequestRecord": "bot.sandbox.emulator",
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
