"""A delegate's agenda as an iCalendar file (RFC 5545) that phone calendars import.

Pure: sessions in, bytes out. The file is only useful if importing it a second time
(after the programme changed) updates the events already in the phone rather than adding
copies, so:

- every event's UID depends only on the summit and the session id, never on the export;
- SEQUENCE is the session's own change counter, so the newer copy wins;
- a cancelled session stays in the file with STATUS:CANCELLED, which is how a calendar
  learns to drop the copy it imported earlier (leaving the event out would not).

Times are written in the venue's timezone with a VTIMEZONE for it, so the phone shows
"09:00 Riyadh time" whatever timezone it is set to, and a delegate reading the entry sees
the same clock time as the printed programme.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Final
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from bot.domain.models import Session

PRODID: Final = "-//Summit Bot//Delegate agenda//EN"
UID_DOMAIN_SUFFIX: Final = "summitbot"
SPEAKERS_MARK: Final = "🎤"
"""Speakers line prefix: a symbol rather than a word, so the file needs no translator."""

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def summit_domain(summit_name: str) -> str:
    """The host part of every UID: readable where it can be, always specific to the summit.

    Two summits' exports must never share UIDs (a delegate attending both would see one
    summit's "panel-1" replace the other's). The readable slug alone is not enough, since
    a name in Arabic script has none, so a short hash of the exact name is always added.
    """
    slug = _NOT_SLUG.sub("-", summit_name.lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha256(summit_name.encode()).hexdigest()[:10]
    label = f"{slug}-{digest}" if slug else digest
    return f"{label}.{UID_DOMAIN_SUFFIX}"


def session_uid(session_id: str, summit_name: str) -> str:
    """A UID that stays the same for this session in every export of this summit.

    The session id comes from the organizers' files and may hold spaces, '@' or any
    script; percent-encoding keeps the UID one unambiguous URL-safe token (and, since '%'
    is itself encoded, two different ids can never map to the same UID).
    """
    return f"{quote(session_id, safe='')}@{summit_domain(summit_name)}"


def agenda_calendar(
    sessions: Sequence[Session],
    *,
    language: str,
    venue: ZoneInfo,
    summit_name: str,
    reminder_minutes: int | None,
    now: datetime,
) -> bytes:
    """The sessions as one VCALENDAR (METHOD:PUBLISH), one VEVENT each.

    `language` picks the translated titles; `reminder_minutes` is the delegate's
    effective lead (None or 0: reminders are off, so no alarms); `now` is the DTSTAMP.
    Discretion does not apply: the delegate asked for their own agenda, so invited
    sessions carry their titles; they are marked CLASS:PRIVATE so that a calendar the
    delegate shares with colleagues shows them only as busy time.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", summit_name)
    calendar.add("name", summit_name)
    if sessions:
        calendar.add_component(_venue_timezone(sessions, venue))
    stamp = now.astimezone(UTC)
    for session in sessions:
        calendar.add_component(
            _event(session, language, venue, summit_name, reminder_minutes, stamp)
        )
    data: bytes = calendar.to_ical()
    return data


def _venue_timezone(sessions: Sequence[Session], venue: ZoneInfo) -> Timezone:
    """The venue's VTIMEZONE, with its rules for every year the sessions fall in.

    Generating rules for the summit's years only (rather than icalendar's default
    1970–2038) keeps the file short; whole years keep the daylight-saving rules of
    those years complete for a calendar that checks them.
    """
    first = min(session.start for session in sessions).astimezone(venue).year
    last = max(session.end for session in sessions).astimezone(venue).year
    return _timezone_for_years(venue, first, last)


@functools.lru_cache(maxsize=16)
def _timezone_for_years(venue: ZoneInfo, first: int, last: int) -> Timezone:
    # icalendar works the rules out by stepping through every offset of those years: about
    # 0.2 s each time, which every /calendar answer paid. The component is only ever
    # serialised, never changed, so one per venue and years serves every calendar.
    return Timezone.from_tzinfo(
        venue, tzid=venue.key, first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1)
    )


def _event(
    session: Session,
    language: str,
    venue: ZoneInfo,
    summit_name: str,
    reminder_minutes: int | None,
    stamp: datetime,
) -> Event:
    title = session.title_in(language)
    event = Event()
    event.add("uid", session_uid(session.id, summit_name))
    event.add("dtstamp", stamp)
    event.add("dtstart", session.start.astimezone(venue))
    event.add("dtend", session.end.astimezone(venue))
    event.add("sequence", session.sequence)
    event.add("summary", title)
    if session.room:
        event.add("location", session.room)
    description = _description(session)
    if description:
        event.add("description", description)
    if session.track:
        event.add("categories", [session.track])
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    if session.private:
        event.add("class", "PRIVATE")
    # A reminder for a cancelled session would send the delegate to an empty room.
    if reminder_minutes and not session.cancelled:
        event.add_component(_alarm(title, reminder_minutes))
    return event


def _description(session: Session) -> str:
    parts = []
    if session.speakers:
        # One per line: a speaker is often "Name, Title", so commas cannot separate them.
        parts.append("\n".join(f"{SPEAKERS_MARK} {speaker}" for speaker in session.speakers))
    if session.description.strip():
        parts.append(session.description.strip())
    return "\n\n".join(parts)


def _alarm(title: str, minutes: int) -> Alarm:
    """A DISPLAY alarm `minutes` before the start (RFC 5545 requires its DESCRIPTION)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -timedelta(minutes=minutes))
    alarm.add("description", title)
    return alarm
