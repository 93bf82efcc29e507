"""The schedule event as a format module lifts it from the file, and the conference it belongs to.

The Frab XML and schedule JSON exports carry the same fields with the same meanings (c3voc
schedule schema). Each format module copies an event's fields into a `RawEvent` as text,
unchecked, and the file's time zone and day change into a `Conference`; the rules that make
sessions of them live in `bot.importers.schedule_events` and the modules it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, tzinfo

from bot.importers.html_text import clean_line
from bot.importers.issues import Invalid
from bot.importers.times import parse_clock, zone


@dataclass
class RawEvent:
    """One event's fields as text, as found in the file ("" when absent)."""

    line: int
    guid: str = ""
    id: str = ""
    title: str = ""
    date: str = ""
    start: str = ""
    duration: str = ""
    end: str = ""
    day_date: str = ""
    day_start: str = ""
    room: str = ""
    track: str = ""
    type: str = ""
    persons: tuple[str, ...] = ()
    abstract: str = ""
    description: str = ""
    problems: list[str] = field(default_factory=list)
    """Problems the format module found (e.g. a field of the wrong JSON type)."""

    @property
    def key(self) -> str:
        return self.guid or self.id

    @property
    def label(self) -> str:
        """How messages name the event, so the organizer can find it in the file."""
        title = f' "{clean_line(self.title)}"' if self.title else ""
        return f"event {self.key}{title}" if self.key else f"event{title} (no guid or id)"


@dataclass(frozen=True)
class Conference:
    """The schedule's time zone for wall-clock times (None when it names an unknown zone),
    the venue's, and the conference's `day_change` when the file gives one."""

    zone: tzinfo | None
    zone_name: str
    venue: tzinfo
    named: bool = False
    day_change: time | None = None

    @staticmethod
    def from_name(name: str, venue_tz: tzinfo, day_change: str = "") -> Conference:
        """The zone `time_zone_name` names, else the venue's (31C3 names none)."""
        change: time | None = None
        if day_change.strip():
            try:
                change = parse_clock(day_change)
            except Invalid:
                change = None
        if not name.strip():
            return Conference(venue_tz, str(venue_tz), venue_tz, False, change)
        return Conference(zone(name), name.strip(), venue_tz, True, change)
