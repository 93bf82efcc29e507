"""Who the person at the terminal can be, and what each of those personas' chats holds.

Every persona (a delegate, a delegate of another delegation, an organizer) has its own
private chat with the bot. Bot messages arrive on their own (reminders, broadcasts, edits of
a progress message), so each persona's chat is a subscription: a queue the chat pumps, and
what arrived while the person was someone else, held until they switch back.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.sandbox.driver import ChatEvent, SimulatedUser


@dataclass(frozen=True)
class TerminalPersona:
    """Someone the person can be: `label` is what `:as LABEL` takes."""

    label: str
    user: SimulatedUser
    description: str


@dataclass
class PersonaState:
    """One persona's chat as the terminal sees it."""

    persona: TerminalPersona
    queue: asyncio.Queue[ChatEvent]
    pending: list[ChatEvent] = field(default_factory=list)
    noticed: int = 0
    """How many pending messages the last "new messages" notice announced."""
    button_message: int | None = None
    """The message whose buttons were shown last: what a typed number presses."""
