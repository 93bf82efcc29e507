"""What changed about a session, as values the notices are made from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
