"""Reading what follows a command, for the commands whose words PTB's `context.args`
would mangle (a room name with spaces, a broadcast with newlines).

Pure functions of the message text, so each command's grammar is tested without Telegram.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_ROOM = 100
"""A longer "room" is not a room name; /move and the ✏️ menu refuse it."""


def after_command(text: str | None) -> str:
    """The text after the command, newlines kept (context.args would split them away)."""
    parts = (text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


@dataclass(frozen=True, slots=True)
class MoveArguments:
    session_id: str
    room: str


def move_arguments(text: str | None) -> MoveArguments | None:
    """`/move SESSION_ID NEW ROOM`: the room is the rest of the line, spaces kept."""
    args = (text or "").split(maxsplit=2)[1:]
    if len(args) < 2 or not args[1].strip() or len(args[1]) > MAX_ROOM:
        return None
    return MoveArguments(args[0], args[1].strip())


@dataclass(frozen=True, slots=True)
class RescheduleArguments:
    session_id: str
    start: str
    end: str | None


def reschedule_arguments(args: Sequence[str]) -> RescheduleArguments | None:
    """`/reschedule SESSION_ID START [END]` from PTB's `context.args`."""
    if len(args) not in (2, 3):
        return None
    return RescheduleArguments(args[0], args[1], args[2] if len(args) == 3 else None)


def cancel_argument(args: Sequence[str]) -> str | None:
    """`/cancel SESSION_ID`: exactly one word."""
    return args[0] if len(args) == 1 else None


def typed_room(text: str) -> str | None:
    """A room typed in answer to the ✏️ menu: one line, not empty, not too long."""
    room = text.strip()
    return room if room and len(room) <= MAX_ROOM and "\n" not in room else None
