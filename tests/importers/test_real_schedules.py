"""Every real published export in tests/data imports event by event as the file says.

The expectation is read by a small parser in this file (ElementTree / json, nothing from
`bot`), so a mistake in the importer cannot hide in a shared helper: count, key, start, end,
room, title and speakers of every event are compared.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.importers import parse_file
from bot.services.imports import import_files, read_files
from bot.storage.database import Database

DATA = Path(__file__).parent.parent / "data"
VENUE = ZoneInfo("Asia/Riyadh")

Expected = dict[str, tuple[datetime, datetime, str, str, tuple[str, ...]]]


def text(value: str | None) -> str:
    """What a delegate should read: entities decoded (twice-escaped ones too), spaces tidy."""
    return " ".join(html.unescape(value or "").split())


def length(duration: str) -> timedelta:
    parts = [int(p) for p in duration.split(":")]
    return timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2] if len(parts) > 2 else 0)


def expectation(
    start: datetime, duration: str, room: str | None, title: str | None, names: list[str]
) -> tuple[datetime, datetime, str, str, tuple[str, ...]]:
    """What one event should import as: its times, room, title and named speakers."""
    return (
        start,
        start + length(duration),
        text(room),
        text(title),
        tuple(text(n) for n in names if text(n)),
    )


def xml_expectation(
    room: ET.Element, event: ET.Element, start: datetime
) -> tuple[datetime, datetime, str, str, tuple[str, ...]]:
    names = [p.text or "" for p in event.iter("person")]
    duration = event.findtext("duration", "")
    return expectation(start, duration, room.get("name"), event.findtext("title"), names)


def from_xml(path: Path) -> Expected:
    expected: Expected = {}
    for day in ET.parse(path).getroot().iter("day"):
        for room in day.findall("room"):
            for event in room.findall("event"):
                start = datetime.fromisoformat(event.findtext("date", "")).astimezone(UTC)
                expected[event.get("guid") or event.get("id") or ""] = xml_expectation(
                    room, event, start
                )
    return expected


def from_wall_clock_xml(path: Path) -> Expected:
    """Old Pentabarf XML (FOSDEM 2010): no <date>, no time zone — only the day's date, a
    wall-clock <start> and the conference's <day_change>. A start before the day change is
    the night after; with no zone anywhere the times are venue time."""
    root = ET.parse(path).getroot()
    change = datetime.strptime(root.findtext("conference/day_change", "00:00"), "%H:%M").time()
    expected: Expected = {}
    for day in root.iter("day"):
        for room in day.findall("room"):
            for event in room.findall("event"):
                clock = datetime.strptime(event.findtext("start", ""), "%H:%M").time()
                wall = datetime.combine(date.fromisoformat(day.get("date", "")), clock)
                if clock < change:
                    wall += timedelta(days=1)
                start = wall.replace(tzinfo=VENUE).astimezone(UTC)
                expected[event.get("guid") or event.get("id") or ""] = xml_expectation(
                    room, event, start
                )
    return expected


def from_json(path: Path) -> Expected:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    expected: Expected = {}
    for day in document["schedule"]["conference"]["days"]:
        for room, events in day["rooms"].items():
            for event in events:
                start = datetime.fromisoformat(event["date"]).astimezone(UTC)
                names = [
                    p.get("public_name") or p.get("full_public_name") or p.get("name") or ""
                    for p in event.get("persons", [])
                ]
                expected[event.get("guid") or str(event["id"])] = expectation(
                    start, event["duration"], room, event["title"], names
                )
    return expected


def from_old_frab_json(path: Path) -> Expected:
    """frab's JSON of 2012–2013 (MRMCD 2013): no guid, no `date` on events, no `day_start`
    on days, no time zone — only the day's date and a wall-clock `start`; names as
    `full_public_name`. Its abstracts carry raw line breaks, which only a non-strict decoder
    reads. A start before the day's first opening (the earliest first event of its rooms)
    would be the night after; with no zone anywhere the times are venue time."""
    document = json.loads(path.read_bytes().decode("utf-8"), strict=False)
    expected: Expected = {}
    for day in document["schedule"]["conference"]["days"]:
        rooms: dict[str, list[dict[str, Any]]] = day["rooms"]
        opening = min(
            datetime.strptime(events[0]["start"], "%H:%M").time()
            for events in rooms.values()
            if events
        )
        for room, events in rooms.items():
            for event in events:
                clock = datetime.strptime(event["start"], "%H:%M").time()
                wall = datetime.combine(date.fromisoformat(day["date"]), clock)
                if clock < opening:
                    wall += timedelta(days=1)
                start = wall.replace(tzinfo=VENUE).astimezone(UTC)
                names = [p.get("full_public_name") or "" for p in event["persons"]]
                expected[event["id"]] = expectation(
                    start, event["duration"], room, event["title"], names
                )
    return expected


REAL_FILES = [
    ("31c3-schedule.xml", from_xml, 138),
    ("pretalx-romhack-camp-2026.xml", from_xml, 10),
    ("fosdem-2010-schedule.xml", from_wall_clock_xml, 235),
    ("pretalx-democon.json", from_json, 36),
    ("frab-camp2019.json", from_json, 79),
    ("frab-mrmcd-2013.json", from_old_frab_json, 40),
]


@pytest.mark.parametrize(("name", "reader", "count"), REAL_FILES)
def test_every_event_as_the_file_says(name: str, reader: Any, count: int) -> None:
    path = DATA / name
    expected = reader(path)
    assert len(expected) == count  # the file itself, read by this test's own parser

    result = parse_file(name, path.read_bytes(), VENUE)

    assert result.ok, result.errors[:3]
    found = {
        s.value.id: (s.value.start, s.value.end, s.value.room, s.value.title, s.value.speakers)
        for s in result.sessions
    }
    assert len(result.sessions) == count
    assert found == expected


@pytest.mark.parametrize(("name", "reader", "count"), REAL_FILES)
def test_real_files_carry_no_markup_into_chat(name: str, reader: Any, count: int) -> None:
    del reader, count
    result = parse_file(name, (DATA / name).read_bytes(), VENUE)

    for located in result.sessions:
        session = located.value
        for field in (session.title, session.room, session.track, *session.speakers):
            assert "&#" not in field and "&amp;" not in field and "&quot;" not in field
        assert "<p>" not in session.description and "&#8217;" not in session.description


def test_romhack_entities_are_decoded_in_titles_and_abstracts() -> None:
    result = parse_file("romhack.xml", (DATA / "pretalx-romhack-camp-2026.xml").read_bytes(), VENUE)
    by_id = {s.value.id: s.value for s in result.sessions}

    book = by_id["ad86b14a-57f8-5f1f-991c-8b46f202047f"]
    assert book.title == "Presentazione libro \"L'inganno dell'Automa\" di Carola Frediani"
    assert "«È un big game, my friend." in book.description
    ctf = by_id["5642155c-3d83-58df-8c2e-ad348d7ea737"]
    assert ctf.end - ctf.start == timedelta(hours=15)  # overnight CTF, 17:00 to 08:00
    assert "🚩 Meet the Finalists" in ctf.description
    # Rome is at +02:00 in October, Riyadh at +03:00: said in the report.
    assert any("Europe/Rome" in w.message for w in result.warnings)


def test_fosdem_2010_without_any_time_zone_is_read_as_venue_time_and_says_so() -> None:
    path = DATA / "fosdem-2010-schedule.xml"
    # The copy keeps the export's CRLF line breaks inside abstracts and descriptions.
    assert path.read_bytes().count(b"\r\n") == 467

    result = parse_file(path.name, path.read_bytes(), VENUE)

    by_id = {s.value.id: s.value for s in result.sessions}
    welcome = by_id["819"]  # Saturday 10:00 in Janson, the opening talk
    assert welcome.start.astimezone(VENUE) == datetime(2010, 2, 6, 10, 0, tzinfo=VENUE)
    assert welcome.description == "FOSDEM Opening Talk"
    assert "\r" not in by_id["803"].description
    assert [w.message for w in result.warnings] == [
        "the schedule names no time zone (no time_zone_name, no UTC offsets): its times were "
        "read as venue time (Asia/Riyadh), e.g. 2010-02-06 10:00 — if the programme was "
        "published for another place, add its time_zone_name (like Europe/Brussels) to the file"
    ]


def test_mrmcd_2013_old_frab_json_with_raw_line_breaks_imports_and_says_so() -> None:
    path = DATA / "frab-mrmcd-2013.json"
    raw = path.read_bytes().decode("utf-8")  # read_text would turn CR LF into LF
    # The copy keeps the export's CR LF line breaks typed straight into abstracts.
    assert raw.count("\r\n") == 220
    with pytest.raises(json.JSONDecodeError, match="Invalid control character"):
        json.loads(raw)  # what a strict reader (JSON.parse, json.loads) makes of it
    document = json.loads(raw, strict=False)
    days = document["schedule"]["conference"]["days"]
    assert [day["date"] for day in days] == ["2013-09-06", "2013-09-07", "2013-09-08"]
    assert not any("day_start" in day for day in days)
    events = [e for day in days for room in day["rooms"].values() for e in room]
    assert not any("date" in e or "guid" in e for e in events)

    result = parse_file(path.name, path.read_bytes(), VENUE)

    assert result.ok, result.errors[:3]
    assert [(w.line, w.message) for w in result.warnings] == [
        (
            65,
            "line breaks are written straight into the JSON's strings (not as \\n), as older "
            "frab exports did — they were read as line breaks",
        ),
        (
            None,
            "the schedule names no time zone (no time_zone_name, no UTC offsets): its times were "
            "read as venue time (Asia/Riyadh), e.g. 2013-09-06 17:53 — if the programme was "
            "published for another place, add its time_zone_name (like Europe/Brussels) to "
            "the file",
        ),
    ]
    by_id = {s.value.id: s.value for s in result.sessions}
    takeoff = by_id["5167"]  # Friday 17:53 at Gate 104, the opening
    assert takeoff.start.astimezone(VENUE) == datetime(2013, 9, 6, 17, 53, tzinfo=VENUE)
    assert by_id["5191"].speakers == ("Stef Walter", "Tobias Mueller")
    assert by_id["5189"].title == "Don't remove your ethics before flight"
    assert by_id["5160"].title == '"The Slingshot Channel" - Phänomen oder Kalkül?'
    assert by_id["5221"].speakers == ()  # lightning talks: no persons
    # Descriptions keep the file's CR LF, as CSV descriptions do (export round trips rely on it).
    assert sum("\r\n" in s.value.description for s in result.sessions) == 5
    assert by_id["5182"].description.startswith(
        "Software und Hardware Einsatz bei Panoramen"
    )  # the abstract wins over the description
    ipsec = by_id["5181"]
    assert ipsec.description == "In dem Vortrag werden Grundlagen von IPSEC erklaert"
    frab = by_id["5168"]
    assert frab.description == (
        "frab wird auf verschiedenen chaos und chaosnahen Veranstaltungen genutzt um das "
        "Programm zu erstellen.\r\n\r\nDer Vortrag geht auf die Verwendung und Entwicklung von "
        "frab ein. Zum Schluss wird die Club-weite Infrastruktur vorgestellt."
    )


def test_mrmcd_2013_has_no_event_past_midnight_so_every_event_keeps_its_days_date() -> None:
    """Said plainly, so nobody mistakes this file for a test of the night-after rule: no
    MRMCD 2013 event starts before its day's first opening (the rule is exercised by
    31C3, FOSDEM 2010 and the small documents of test_schedule_fidelity.py)."""
    path = DATA / "frab-mrmcd-2013.json"
    result = parse_file(path.name, path.read_bytes(), VENUE)

    for located in result.sessions:
        session = located.value
        day = session.start.astimezone(VENUE).date()
        assert date(2013, 9, 6) <= day <= date(2013, 9, 8)
        assert session.start.astimezone(VENUE).time() >= datetime(2013, 9, 6, 11, 23).time()


async def test_mrmcd_2013_through_the_import_command_path_and_again_unchanged(
    tmp_path: Path,
) -> None:
    """What `summitbot import tests/data/frab-mrmcd-2013.json` does: read, parse, apply."""
    sources, problems = read_files([DATA / "frab-mrmcd-2013.json"])
    assert problems == []
    database = await Database.open(tmp_path / "summit.db")
    try:
        first = await import_files(database, sources, VENUE)
        assert first.ok, first.errors
        assert first.sessions.added == 40
        assert any("line breaks are written straight" in str(w) for w in first.warnings)
        again = await import_files(database, sources, VENUE)
        assert (again.sessions.added, again.sessions.changed, again.sessions.unchanged) == (
            0,
            0,
            40,
        )
        rows = await database.fetchall("SELECT id, room FROM session")
        assert len(rows) == 40
        assert {row["room"] for row in rows} == {
            "Gate 104",
            "Gate 111",
            "Gate 105 (Workshop Airlines)",
        }
    finally:
        await database.close()
