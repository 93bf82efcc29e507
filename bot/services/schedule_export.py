"""`summitbot export`: the programme as a Frab XML or schedule JSON file (c3voc schemas).

Other tools read these formats (Giggity, ConfClerk, pretalx-style websites, signage), so the
summit's public programme can be published without retyping it. Only scheduled sessions of
audience `all` are written, unless `include_invited` (`--all`): an export is meant to be
published, and invited sessions (bilaterals, closed briefings) must not leak by default.

Each session gets a stable `guid` (`bot.domain.schedule_ids`), times are venue time with
their offset, and the output is deterministic: the same programme gives the same bytes,
which lets a web server's ETag tell followers that nothing changed. Importing an export
changes nothing (the guid leads back to the session; kind travels in `type`).
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from bot import __version__
from bot.domain.models import Session
from bot.domain.schedule_ids import export_guid
from bot.storage import programme
from bot.storage.database import Database

FRAB_XML = "frab-xml"
SCHEDULE_JSON = "schedule-json"
SCHEDULE_FORMATS = (FRAB_XML, SCHEDULE_JSON)
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


@dataclass(frozen=True, slots=True)
class _Event:
    session: Session
    guid: str
    number: int
    start: datetime
    """Venue time."""


async def export_schedule(
    database: Database,
    fmt: str,
    *,
    include_invited: bool,
    summit_name: str,
    zone: tzinfo,
    now: datetime,
) -> str:
    sessions = await programme.scheduled(database, include_invited=include_invited)
    if fmt == FRAB_XML:
        return frab_xml(sessions, summit_name, zone, now)
    if fmt == SCHEDULE_JSON:
        return schedule_json(sessions, summit_name, zone, now)
    raise ValueError(f"unknown format {fmt!r}")


def _events(sessions: Sequence[Session], zone: tzinfo) -> list[_Event]:
    """Sessions with their guid and a unique numeric id (both schemas still require one)."""
    taken: set[int] = set()
    events = []
    for session in sessions:
        guid = export_guid(session.id)
        number = int(guid.replace("-", "")[:8], 16) % 900_000_000 + 1000
        while number in taken:
            number += 1
        taken.add(number)
        events.append(_Event(session, guid, number, session.start.astimezone(zone)))
    return events


def _acronym(name: str) -> str:
    """Lower-case letters, digits and underscores, at least four (both schemas' rule)."""
    acronym = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return acronym if len(acronym) >= 4 else f"{acronym}_summit".strip("_")


def _by_day(events: Sequence[_Event]) -> dict[date, dict[str, list[_Event]]]:
    days: dict[date, dict[str, list[_Event]]] = {}
    for event in events:
        days.setdefault(event.start.date(), {}).setdefault(event.session.room, []).append(event)
    return days


def _day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone) - timedelta(seconds=1)
    return start, end


def _duration(event: _Event, with_seconds: bool) -> str:
    seconds = int((event.session.end - event.session.start).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if with_seconds and secs:
        return f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{hours:02d}:{minutes:02d}"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _version(events: Sequence[_Event]) -> str:
    """A content hash: the version changes exactly when the exported programme does."""
    digest = hashlib.sha256()
    for event in events:
        session = event.session
        digest.update(
            json.dumps(
                [
                    event.guid,
                    _iso(event.start),
                    _iso(session.end),
                    session.room,
                    session.title,
                    session.track,
                    session.kind.value,
                    session.description,
                    list(session.speakers),
                ],
                ensure_ascii=False,
            ).encode()
        )
    return digest.hexdigest()[:12]


def schedule_json(
    sessions: Sequence[Session], summit_name: str, zone: tzinfo, now: datetime
) -> str:
    events = _events(sessions, zone)
    acronym = _acronym(summit_name)
    days = []
    for index, (day, rooms) in enumerate(sorted(_by_day(events).items()), start=1):
        day_start, day_end = _day_bounds(day, zone)
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": _iso(day_start),
                "day_end": _iso(day_end),
                "rooms": {
                    room: [_json_event(event, acronym, zone) for event in room_events]
                    for room, room_events in rooms.items()
                },
            }
        )
    dates = sorted({event.start.date() for event in events}) or [now.astimezone(zone).date()]
    document: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "generator": {"name": "summitbot", "version": __version__},
        "schedule": {
            "version": _version(events),
            "conference": {
                "acronym": acronym,
                "title": summit_name,
                "start": dates[0].isoformat(),
                "end": dates[-1].isoformat(),
                "daysCount": len(days),
                "timeslot_duration": "00:05",
                "time_zone_name": str(zone),
                "days": days,
            },
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _json_event(event: _Event, acronym: str, zone: tzinfo) -> dict[str, Any]:
    session = event.session
    return {
        "guid": event.guid,
        "id": event.number,
        "date": _iso(event.start),
        "start": event.start.strftime("%H:%M"),
        "duration": _duration(event, with_seconds=False),
        # `end` keeps seconds that HH:MM durations cannot.
        "end": _iso(session.end.astimezone(zone)),
        "room": session.room,
        "slug": f"{acronym}-{event.number}",
        "url": f"urn:uuid:{event.guid}",
        "title": session.title,
        "subtitle": "",
        "track": session.track or None,
        "type": session.kind.value,
        "language": None,
        "abstract": session.description,
        "description": "",
        "persons": [{"name": name} for name in session.speakers],
        "links": [],
    }


def frab_xml(sessions: Sequence[Session], summit_name: str, zone: tzinfo, now: datetime) -> str:
    events = _events(sessions, zone)
    acronym = _acronym(summit_name)
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name="summitbot", version=__version__)
    ET.SubElement(root, "version").text = _version(events)
    conference = ET.SubElement(root, "conference")
    by_day = _by_day(events)
    dates = sorted(by_day) or [now.astimezone(zone).date()]
    for tag, text in (
        ("title", summit_name),
        ("acronym", acronym),
        ("start", dates[0].isoformat()),
        ("end", dates[-1].isoformat()),
        ("days", str(len(dates))),
        ("timeslot_duration", "00:05"),
        ("time_zone_name", str(zone)),
    ):
        ET.SubElement(conference, tag).text = text
    for index, day in enumerate(dates, start=1):
        day_start, day_end = _day_bounds(day, zone)
        day_element = ET.SubElement(
            root,
            "day",
            index=str(index),
            date=day.isoformat(),
            start=_iso(day_start),
            end=_iso(day_end),
        )
        for room, room_events in by_day.get(day, {}).items():
            room_element = ET.SubElement(day_element, "room", name=room)
            for event in room_events:
                _xml_event(room_element, event, acronym)
    ET.indent(root, space="  ")
    # XML parsers turn a raw CR (CSV descriptions keep CRLF) into LF; a reference survives.
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _xml_event(parent: ET.Element, event: _Event, acronym: str) -> None:
    session = event.session
    element = ET.SubElement(parent, "event", guid=event.guid, id=str(event.number))
    for tag, text in (
        ("room", session.room),
        ("title", session.title),
        ("subtitle", ""),
        ("type", session.kind.value),
        ("date", _iso(event.start)),
        ("start", event.start.strftime("%H:%M:%S" if event.start.second else "%H:%M")),
        ("duration", _duration(event, with_seconds=True)),
        ("abstract", session.description),
        ("slug", f"{acronym}-{event.number}"),
        ("track", session.track),
        ("language", ""),
        ("description", ""),
    ):
        ET.SubElement(element, tag).text = text
    persons = ET.SubElement(element, "persons")
    for name in session.speakers:
        ET.SubElement(persons, "person").text = name
