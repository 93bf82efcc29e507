"""What changed about a session, as values the notices are made from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from bot.domain.bilaterals import Conflict
from bot.domain.models import Session


class ChangeKind(StrEnum):
    ROOM = "room"
    TIME = "time"
    CANCELLED = "cancelled"
    REINSTATED = "reinstated"


@dataclass(frozen=True, slots=True)
class SessionChanged:
    """One session as it was and as it is now, with what delegates must be told."""

    before: Session
    after: Session
    kinds: frozenset[ChangeKind]


def changes_between(before: Session, after: Session) -> frozenset[ChangeKind]:
    """What a delegate needs to hear about: room, time, cancellation (not a typo fix)."""
    if after.cancelled and not before.cancelled:
        return frozenset({ChangeKind.CANCELLED})
    if before.cancelled and not after.cancelled:
        return frozenset({ChangeKind.REINSTATED})
    if after.cancelled:
        return frozenset()
    kinds = set()
    if before.room != after.room:
        kinds.add(ChangeKind.ROOM)
    if before.start != after.start or before.end != after.end:
        kinds.add(ChangeKind.TIME)
    return frozenset(kinds)


def notable(before: Session | None, after: Session) -> SessionChanged | None:
    if before is None:
        return None
    kinds = changes_between(before, after)
    return SessionChanged(before, after, kinds) if kinds else None


class Refusal(Enum):
    UNKNOWN = "unknown"
    OVER = "over"
    IN_THE_PAST = "in_the_past"
    ENDS_BEFORE_START = "ends_before_start"
    NOTHING_CHANGES = "nothing_changes"
    ALREADY_CANCELLED = "already_cancelled"
    CANCELLED = "cancelled"
    """A cancelled session is not moved or rescheduled: that would announce it as on.
    Organizers reinstate it by importing it with `status = scheduled`."""
    OUT_OF_RANGE = "out_of_range"


@dataclass(frozen=True, slots=True)
class Applied:
    before: Session
    after: Session
    told: int
    conflicts: tuple[Conflict, ...] = ()
    """Booked bilateral meetings the changed session now collides with."""


class TimeProblem(Enum):
    UNREADABLE = "unreadable"
    OUT_OF_RANGE = "out_of_range"
    DOES_NOT_EXIST = "does_not_exist"
    """Skipped by a daylight-saving jump in the venue's timezone."""
