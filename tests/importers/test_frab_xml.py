"""Frab schedule XML: the real 31C3 export, and hostile or broken documents."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import Audience, SessionKind
from bot.importers import MAX_ROWS, FileKind, ParsedFile, parse_file

DATA = Path(__file__).parent.parent / "data"
CCC = DATA / "31c3-schedule.xml"
BERLIN = ZoneInfo("Europe/Berlin")
RIYADH = ZoneInfo("Asia/Riyadh")


def parse(data: bytes, venue: ZoneInfo = BERLIN) -> ParsedFile:
    return parse_file("schedule.xml", data, venue)


def expected_events(path: Path) -> dict[str, tuple[str, datetime, datetime]]:
    """guid -> (room, start, end), read independently with ElementTree from <date>."""
    expected = {}
    for day in ET.parse(path).getroot().iter("day"):
        for room in day.iter("room"):
            for event in room.iter("event"):
                start = datetime.fromisoformat(event.findtext("date", ""))
                hours, minutes = event.findtext("duration", "").split(":")
                end = start + timedelta(hours=int(hours), minutes=int(minutes))
                expected[event.get("guid", "")] = (room.get("name", ""), start, end)
    return expected


def test_31c3_every_event_with_room_and_times() -> None:
    result = parse(CCC.read_bytes())

    assert result.ok, result.errors
    assert result.kind is FileKind.FRAB_XML
    expected = expected_events(CCC)
    assert len(expected) == 138
    assert {
        located.value.id: (located.value.room, located.value.start, located.value.end)
        for located in result.sessions
    } == expected
    assert {located.value.room for located in result.sessions} == {
        "Saal 1",
        "Saal 2",
        "Saal 6",
        "Saal G",
    }
    assert all(located.value.audience is Audience.ALL for located in result.sessions)
    assert all(located.value.start.tzinfo is UTC for located in result.sessions)


def test_byte_order_mark_before_xml() -> None:
    result = parse(b"\xef\xbb\xbf" + CCC.read_bytes())

    assert result.ok, result.errors
    assert len(result.sessions) == 138


def test_31c3_event_after_midnight_read_by_hand() -> None:
    result = parse(CCC.read_bytes(), venue=RIYADH)

    by_id = {located.value.id: located for located in result.sessions}
    citizenfour = by_id["77aea78c-f2d2-461a-92b3-82929a79d598"]
    assert citizenfour.line == 296
    session = citizenfour.value
    assert session.title == "Citizenfour"
    # Listed under the day of 2014-12-27, shown at 00:00: the night after, at +01:00.
    assert session.start == datetime(2014, 12, 27, 23, 0, tzinfo=UTC)
    assert session.end == datetime(2014, 12, 28, 1, 15, tzinfo=UTC)
    assert session.room == "Saal 1"
    assert session.track == "Entertainment"
    assert session.speakers == ("Laura Poitras",)
    assert session.description.startswith('"Citizenfour" is Laura Poitras')
    assert session.kind is SessionKind.PANEL


def test_31c3_first_event_read_by_hand() -> None:
    result = parse(CCC.read_bytes())

    first = result.sessions[0]
    assert first.line == 14
    assert first.value.id == "29aecfd7-2e44-4f49-ab86-29b5e0877325"
    assert first.value.title == "31C3 Opening Event"
    assert first.value.start == datetime(2014, 12, 27, 11, 0, tzinfo=BERLIN)
    assert first.value.end - first.value.start == timedelta(minutes=30)
    assert first.value.speakers == ("erdgeist", "Geraldine de Bastion")


def test_31c3_without_dates_places_night_events_on_the_next_morning() -> None:
    """Older exports have only the day's date and a wall-clock <start>: same result."""
    undated = re.sub(rb"<date>[^<]*</date>\n", b"", CCC.read_bytes())
    assert b"<date>" not in undated

    with_dates = parse(CCC.read_bytes())
    without = parse(undated)

    assert without.ok, without.errors
    assert [(s.value.id, s.value.start, s.value.end) for s in without.sessions] == [
        (s.value.id, s.value.start, s.value.end) for s in with_dates.sessions
    ]
    night = [s.value for s in without.sessions if s.value.start.astimezone(BERLIN).hour < 4]
    assert len(night) == len(re.findall(rb"<date>[^<]*T0[0-3]:", CCC.read_bytes())) > 0


def test_local_start_uses_time_zone_name_over_venue() -> None:
    data = schedule(
        event(date="", start="09:00"),
        conference="<time_zone_name>America/New_York</time_zone_name>",
    )

    result = parse(data, venue=RIYADH)

    assert result.sessions[0].value.start == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


def test_guid_falls_back_to_id_and_type_workshop() -> None:
    result = parse(schedule(event(guid=None, id_="42", type_="Workshop")))

    assert result.ok, result.errors
    assert result.sessions[0].value.id == "42"
    assert result.sessions[0].value.kind is SessionKind.WORKSHOP


@pytest.mark.parametrize("duration", ["1:30", "01:30", "01:30:00"])
def test_duration_forms(duration: str) -> None:
    result = parse(schedule(event(duration=duration)))

    session = result.sessions[0].value
    assert session.end - session.start == timedelta(hours=1, minutes=30)


def test_missing_fields_name_the_event_and_a_repeated_guid_is_a_warning() -> None:
    data = schedule(
        event(guid="g-1", title="First"),
        event(guid="g-1", title="Second", date="2026-12-01T11:00:00+01:00", start="11:00"),
        event(guid="g-2", title="No time", date="", start=""),
        event(guid="g-3", title="Bad length", duration="soon"),
        event(guid=None, id_=None, title="Anonymous"),
    )

    result = parse(data)

    assert [str(issue) for issue in result.errors] == [
        'schedule.xml:14: event g-2 "No time": has neither a date nor a start time',
        'schedule.xml:19: event g-3 "Bad length": duration "soon" is not a duration — expected '
        "HH:MM like 01:30",
        'schedule.xml:24: event "Anonymous" (no guid or id): has no guid or id — the key that '
        "lets a re-import update the session",
    ]
    assert [(s.value.id, s.value.title) for s in result.sessions] == [
        ("g-1", "First"),
        ("g-1#2", "Second"),
    ]
    assert [str(w) for w in result.warnings] == [
        "schedule.xml:4: guid g-1 is used by 2 events (lines 4, 9): each is its own session, "
        "ordered by start and room — ids g-1, g-1#2"
    ]


def test_zero_and_missing_durations_are_markers_skipped_with_a_warning() -> None:
    data = schedule(
        event(guid="g-1", duration="00:00"),
        event(guid="g-2", duration="").replace("<duration></duration>", ""),
        event(guid="g-3", title="Real"),
    )

    result = parse(data)

    assert result.ok, result.errors
    assert [s.value.title for s in result.sessions] == ["Real"]
    assert [w.line for w in result.warnings] == [4, 9]
    assert result.warnings[0].message == (
        'event g-1 "Talk": duration "00:00" — a marker (like "doors open") at 2026-12-01 09:00 '
        "venue time, skipped: the programme holds sessions that last some time"
    )
    assert "no duration" in result.warnings[1].message


def test_unknown_time_zone_only_matters_for_local_times() -> None:
    bad_zone = "<time_zone_name>Mars/Olympus</time_zone_name>"

    with_offsets = parse(schedule(event(), conference=bad_zone))
    local = parse(schedule(event(date="", start="09:00"), conference=bad_zone))

    assert with_offsets.ok
    assert 'time_zone_name "Mars/Olympus" is not a known time zone' in local.errors[0].message


def test_doctype_and_entities_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        b"<schedule><title>&lol2;</title></schedule>\n"
    )
    external = b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><schedule>&x;</schedule>'

    for data in (bomb, external):
        result = parse(data)
        assert len(result.errors) == 1
        assert "DOCTYPE, which is refused for safety" in result.errors[0].message


def test_malformed_xml_reports_expat_line() -> None:
    result = parse(b"<schedule>\n<day date='2026-12-01'>\n<room name='A'>\n</day>\n</schedule>")

    assert [str(issue) for issue in result.errors] == [
        "schedule.xml:4: the XML is not well-formed: mismatched tag at column 3 — export the "
        "schedule again, or fix the file there"
    ]


def test_other_xml_is_not_a_schedule() -> None:
    result = parse(b"<?xml version='1.0'?>\n<html><body/></html>")

    assert [str(issue) for issue in result.errors] == [
        "schedule.xml:2: the XML's root element is <html>, not <schedule> — expected a "
        "Frab/Pentabarf schedule export (schedule.xml)"
    ]


def test_schedule_without_events() -> None:
    result = parse(b"<schedule><conference/></schedule>")

    assert "the schedule has no events" in result.errors[0].message


def test_too_many_events_is_one_error() -> None:
    data = schedule(*[event(guid=f"g{i}") for i in range(MAX_ROWS + 1)])

    result = parse(data)

    assert len(result.errors) == 1
    assert "more than 50,000 events" in result.errors[0].message
    assert result.sessions == []


def event(
    *,
    guid: str | None = "g-1",
    id_: str | None = "1",
    title: str = "Talk",
    date: str = "2026-12-01T09:00:00+01:00",
    start: str = "09:00",
    duration: str = "01:00",
    type_: str = "lecture",
) -> str:
    """One event in five lines, so that test line numbers are easy to count."""
    attrs = "".join(f" {k}='{v}'" for k, v in (("guid", guid), ("id", id_)) if v is not None)
    return (
        f"<event{attrs}>\n<title>{title}</title><type>{type_}</type>\n"
        f"<date>{date}</date><start>{start}</start>\n<duration>{duration}</duration>\n</event>\n"
    )


def schedule(*events: str, conference: str = "") -> bytes:
    """Events start on line 4."""
    return (
        f"<schedule><conference>{conference}</conference>\n"
        "<day date='2026-12-01' start='2026-12-01T08:00:00+01:00'>\n<room name='Hall'>\n"
        f"{''.join(events)}</room></day></schedule>\n"
    ).encode()
