"""The reply an update may return in its webhook response (see bot.telegram.webhook).

Kept apart from the webhook server so the sending code (bot.telegram.sending, the request
layer) can use it without importing the application.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class ReplySlot:
    """The one method call an update may return in its webhook response."""

    payload: dict[str, Any] | None = None
    used: bool = False


CURRENT_SLOT: contextvars.ContextVar[ReplySlot | None] = contextvars.ContextVar(
    "webhook_reply_slot", default=None
)


def hold(payload: dict[str, Any], admit: Callable[[], bool]) -> bool:
    """Keep `payload` for the webhook response if nothing else was sent in this update
    and `admit()` (the governor) grants it a turn now: a reply in the response is a call
    Telegram counts like any other.

    Returns False when the caller must send it through the API itself.
    """
    slot = CURRENT_SLOT.get()
    if slot is None or slot.used or not admit():
        return False
    slot.used = True
    slot.payload = payload
    return True


def take_held() -> dict[str, Any] | None:
    """A second message is about to go through the API: the held one must go first."""
    slot = CURRENT_SLOT.get()
    if slot is None or slot.payload is None:
        return None
    payload, slot.payload = slot.payload, None
    return payload
