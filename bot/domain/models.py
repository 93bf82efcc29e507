"""The values the summit is made of.

Times are always timezone-aware `datetime`s; storage keeps them as UTC and the
presentation layer shows them in the venue's timezone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SessionKind(StrEnum):
    PLENARY = "plenary"
    PANEL = "panel"
    BRIEFING = "briefing"
    WORKSHOP = "workshop"
    BILATERAL = "bilateral"
    SIGNING = "signing"
    EXHIBITION = "exhibition"
    SOCIAL = "social"


class Audience(StrEnum):
    ALL = "all"
    """Every delegate may see it and add it to their agenda."""
    INVITED = "invited"
    """Only delegates on its attendance list know it exists."""


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Role(StrEnum):
    DELEGATE = "delegate"
    HEAD = "head"
    """A head of delegation: requests and answers bilateral meetings for the delegation."""
    ORGANIZER = "organizer"


# Closed meetings are private unless the organizers say otherwise (SPEC §4).
DEFAULT_AUDIENCE: Mapping[SessionKind, Audience] = {
    SessionKind.BILATERAL: Audience.INVITED,
    SessionKind.BRIEFING: Audience.INVITED,
}


def default_audience(kind: SessionKind) -> Audience:
    return DEFAULT_AUDIENCE.get(kind, Audience.ALL)


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    title: str
    start: datetime
    end: datetime
    room: str
    track: str = ""
    kind: SessionKind = SessionKind.PANEL
    audience: Audience = Audience.ALL
    status: SessionStatus = SessionStatus.SCHEDULED
    description: str = ""
    speakers: tuple[str, ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)
    """Translated titles by language code (`title:<lang>` columns)."""
    sequence: int = 0
    """Rises with every change; calendars use it to update an event rather than add one."""

    @property
    def cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED

    @property
    def private(self) -> bool:
        return self.audience is Audience.INVITED

    def title_in(self, language: str) -> str:
        return self.titles.get(language) or self.title


@dataclass(frozen=True, slots=True)
class Delegate:
    id: str
    name: str
    delegation: str
    language: str | None = None
    role: Role = Role.DELEGATE


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    delegate_id: str
    session_id: str
    remove: bool = False
