"""Organizer broadcasts as values: who a broadcast is for, its state and its progress."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class AudienceKind(StrEnum):
    ALL = "all"
    DELEGATION = "delegation"
    SESSION = "session"
    TRACK = "track"


@dataclass(frozen=True, slots=True)
class Audience:
    kind: AudienceKind
    value: str = ""

    def __str__(self) -> str:
        return self.kind.value if self.kind is AudienceKind.ALL else f"{self.kind}:{self.value}"


_AUDIENCE = re.compile(
    r"""\s*(?P<kind>all|delegation|session|track)
        (?::(?:"(?P<quoted>[^"]+)"|(?P<plain>\S+)))?
        (?=\s|$)""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_command(text: str) -> tuple[Audience | None, str]:
    """Split `AUDIENCE TEXT` (after the command); a name with spaces goes in quotes.

    Returns (None, text) when the audience is not one of the four forms.
    """
    match = _AUDIENCE.match(text)
    if match is None:
        return None, text.strip()
    kind = AudienceKind(match["kind"].lower())
    value = (match["quoted"] or match["plain"] or "").strip()
    if (kind is AudienceKind.ALL) != (value == ""):
        return None, text.strip()
    return Audience(kind, value), text[match.end() :].strip()


class State(StrEnum):
    PREVIEW = "preview"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    organizer_id: int
    audience: str
    text: str
    urgent: bool
    state: State
    recipients: int
    progress_chat: int | None
    progress_message: int | None


@dataclass(frozen=True, slots=True)
class Progress:
    total: int
    delivered: int
    waiting: int
    unreachable: int
    failed: int
    acknowledged: int

    @property
    def finished(self) -> bool:
        return self.waiting == 0


class UnknownAudience(Exception):
    """The delegation, session or track named in the audience does not exist."""
