"""What an import did, or why it did nothing: counts, changes, warnings and conflicts.

The command line prints `summary_lines`; the chat renders the same report translated
(`bot.views.programme_changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.bilaterals import Conflict
from bot.domain.models import Session
from bot.domain.rooms import Overcrowded
from bot.importers import ImportIssue


@dataclass(slots=True)
class Tally:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged + self.removed

    def count(self, before: object | None, same: bool) -> bool:
        """Count one imported item against what was there (`before`, None if it is new;
        `same` if nothing differs). True when it has to be written."""
        if before is None:
            self.added += 1
        elif same:
            self.unchanged += 1
            return False
        else:
            self.changed += 1
        return True


@dataclass(frozen=True, slots=True)
class SessionChange:
    """A session as it was before an import (None if new) and as it is after."""

    before: Session | None
    after: Session


@dataclass(slots=True)
class ImportReport:
    files: list[str]
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    """Unusual but imported by a stated rule (repeated guids, markers, another time zone)."""
    cancelled: int = 0
    """Sessions cancelled because the source they came from no longer lists them."""
    sessions: Tally = field(default_factory=Tally)
    delegates: Tally = field(default_factory=Tally)
    attendance: Tally = field(default_factory=Tally)
    rooms: Tally = field(default_factory=Tally)
    changes: list[SessionChange] = field(default_factory=list)
    overcrowded: list[Overcrowded] = field(default_factory=list)
    """Upcoming sessions with more delegates than their room seats, after the import."""
    told: int = 0
    """Delegates sent a notice about changed sessions."""
    conflicts: list[Conflict] = field(default_factory=list)
    """Sessions of this import that collide with booked bilateral meetings."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_lines(self) -> list[str]:
        """The report in English, for the command line (chat renders its own, translated)."""
        if self.errors:
            lines = [str(issue) for issue in self.errors]
            lines.append(
                f"{len(self.errors)} error(s): nothing was imported. Fix the file(s) and run again."
            )
            return lines
        lines = []
        for name, tally in (
            ("sessions", self.sessions),
            ("delegates", self.delegates),
            ("attendance", self.attendance),
            ("rooms", self.rooms),
        ):
            if tally.total:
                parts = [f"{tally.added} added", f"{tally.changed} changed"]
                if name == "attendance":
                    parts.append(f"{tally.removed} removed")
                parts.append(f"{tally.unchanged} unchanged")
                lines.append(f"{name}: " + ", ".join(parts))
        if self.cancelled:
            lines.append(f"{self.cancelled} session(s) cancelled: no longer in the source")
        lines.extend(f"warning: {issue}" for issue in self.warnings)
        if self.told:
            lines.append(f"{self.told} delegate(s) are being told about changed sessions")
        lines += [
            f"warning: session {item.session_id} has {item.attendance} delegates on its agenda "
            f"but {item.room} seats {item.capacity}"
            for item in self.overcrowded
        ]
        for session, bookings in self.conflicts:
            held = "; ".join(
                f"#{b.id} {b.requester} – {b.other}, {b.room} {b.start:%Y-%m-%d %H:%M} UTC"
                for b in bookings
            )
            lines.append(f"conflict: {session.id} ({session.title}) overlaps bilateral {held}")
        return lines or ["nothing to import"]
