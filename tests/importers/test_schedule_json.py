"""Schedule JSON: the real pretalx and frab exports, and broken documents."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import Audience, SessionKind
from bot.importers import FileKind, ParsedFile, parse_file

DATA = Path(__file__).parent.parent / "data"
DEMOCON = DATA / "pretalx-democon.json"
CAMP = DATA / "frab-camp2019.json"
RIYADH = ZoneInfo("Asia/Riyadh")


def parse(data: bytes, venue: ZoneInfo = RIYADH) -> ParsedFile:
    return parse_file("schedule.json", data, venue)


def expected_events(path: Path) -> dict[str, tuple[str, datetime, datetime, str]]:
    """guid -> (room, start, end, type), read independently from each event's date."""
    expected = {}
    days = json.loads(path.read_text())["schedule"]["conference"]["days"]
    for day in days:
        for room, events in day["rooms"].items():
            for event in events:
                start = datetime.fromisoformat(event["date"])
                hours, minutes = event["duration"].split(":")
                end = start + timedelta(hours=int(hours), minutes=int(minutes))
                expected[event["guid"]] = (room, start, end, event["type"])
    return expected


def event_lines(path: Path) -> dict[str, int]:
    """guid -> line of the `{` opening its event, found by reading the text."""
    lines = path.read_text().splitlines()
    found = {}
    for number, line in enumerate(lines, start=1):
        if line.strip().startswith('"guid": "'):
            guid = line.split('"')[3]
            opening = next(n for n in range(number, 0, -1) if lines[n - 1].strip() == "{")
            found[guid] = opening
    return found


@pytest.mark.parametrize(("path", "count"), [(DEMOCON, 36), (CAMP, 79)])
def test_real_export_every_event(path: Path, count: int) -> None:
    result = parse(path.read_bytes())

    assert result.ok, result.errors
    assert result.kind is FileKind.SCHEDULE_JSON
    expected = expected_events(path)
    assert len(expected) == len(result.sessions) == count
    assert {
        s.value.id: (
            s.value.room,
            s.value.start,
            s.value.end,
            s.value.kind,
        )
        for s in result.sessions
    } == {
        guid: (
            room,
            start,
            end,
            SessionKind(kind.lower()) if kind == "Workshop" else SessionKind.PANEL,
        )
        for guid, (room, start, end, kind) in expected.items()
    }
    assert all(s.value.audience is Audience.ALL for s in result.sessions)
    lines = event_lines(path)
    assert {s.value.id: s.line for s in result.sessions} == {guid: lines[guid] for guid in expected}


def test_democon_event_read_by_hand() -> None:
    result = parse(DEMOCON.read_bytes())

    first = result.sessions[0]
    assert first.line == 36
    session = first.value
    assert session.id == "8079583e-8321-506c-95af-fd2903a5f075"
    assert session.title == "Focused 5thgeneration hardware"
    # The file says time_zone_name UTC, but the event's own date carries +01:00 and wins.
    assert session.start == datetime(2020, 12, 14, 8, 0, tzinfo=UTC)
    assert session.end == datetime(2020, 12, 14, 8, 30, tzinfo=UTC)
    assert session.room == "Gray Room"
    assert session.track == "Phased"
    assert session.speakers == ("Brian Robinson",)
    assert session.description == "Brand back-end models!"
    workshops = [s.value for s in result.sessions if s.value.kind is SessionKind.WORKSHOP]
    assert len(workshops) == 9
    assert {w.room for w in workshops} == {"Tan Room"}


def test_camp2019_events_read_by_hand() -> None:
    result = parse(CAMP.read_bytes())

    by_id = {s.value.id: s.value for s in result.sessions}
    opening = by_id["a0a0fcfe-b7fb-46e3-84b6-97a5406016b4"]
    assert opening.title == "Opening Ceremony"
    assert opening.start == datetime(2019, 8, 21, 9, 0, tzinfo=UTC)  # 11:00+02:00
    assert opening.room == "Curie"
    assert opening.speakers == ("jinxx", "smtw")
    lightning = by_id["117f530f-a20b-4071-b208-39e989a42408"]
    assert lightning.title == "Lightning Talks"
    assert lightning.start == datetime(2019, 8, 22, 10, 0, tzinfo=UTC)
    assert lightning.end - lightning.start == timedelta(hours=3)
    assert lightning.room == "Meitner"


def document(*events: dict[str, Any], zone: str = "Europe/Berlin") -> bytes:
    days = [
        {
            "date": "2026-12-01",
            "day_start": "2026-12-01T08:00:00+01:00",
            "rooms": {"Hall": list(events)},
        }
    ]
    return json.dumps(
        {"schedule": {"conference": {"time_zone_name": zone, "days": days}}}, indent=1
    ).encode()


def talk(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "guid": "g-1",
        "id": 1,
        "title": "Talk",
        "date": "2026-12-01T09:00:00+01:00",
        "start": "09:00",
        "duration": "01:00",
        "persons": [{"public_name": "A"}, {"name": "B"}],
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def test_local_start_after_midnight_and_end_field() -> None:
    data = document(
        talk(guid="late", date=None, start="01:30"),
        talk(guid="ends", end="2026-12-01T09:20:00+01:00", duration=None),
    )

    result = parse(data)

    assert result.ok, result.errors
    late, ends = (s.value for s in result.sessions)
    assert late.start == datetime(2026, 12, 2, 0, 30, tzinfo=UTC)  # the night after, +01:00
    assert late.speakers == ("A", "B")
    assert ends.end - ends.start == timedelta(minutes=20)


def test_bom_and_unknown_zone() -> None:
    data = document(talk(date=None, start="10:00"), zone="Europe/Atlantis")

    result = parse(b"\xef\xbb\xbf" + data)

    assert result.kind is FileKind.SCHEDULE_JSON
    assert [issue.message for issue in result.errors] == [
        'event g-1 "Talk": its start 10:00 is wall-clock time (the schedule\'s time_zone_name '
        '"Europe/Atlantis" is not a known time zone — use an IANA name like Europe/Berlin)'
    ]


def test_id_used_when_no_guid() -> None:
    result = parse(document(talk(guid=None, id=77)))

    assert result.sessions[0].value.id == "77"


def test_event_problems_name_the_event_and_line() -> None:
    data = document(
        talk(guid="g-1", title="One"),
        talk(guid="g-1", title="Two"),
        talk(guid="g-2", title=None),
        talk(guid="g-3", title="Wrong type", track=["x"]),
        talk(guid="g-4", title="Gap", date="2026-03-29T02:30:00", duration="00:30"),
        talk(guid="g-5", title="Backwards", end="2026-12-01T08:00:00+01:00", room="Ignored"),
    )

    result = parse(data)

    lines = data.decode().splitlines()
    assert all(lines[issue.line - 1].strip() == "{" for issue in result.errors if issue.line)
    # A repeated guid is no error: each occurrence becomes its own session.
    assert [(s.value.id, s.value.title) for s in result.sessions] == [
        ("g-1", "One"),
        ("g-1#2", "Two"),
    ]
    assert any("used by 2 events" in w.message for w in result.warnings)
    assert [issue.message for issue in result.errors] == [
        "event g-2: has no title",
        'event g-3 "Wrong type": "track" must be text, not list',
        'event g-4 "Gap": date 2026-03-29T02:30 does not exist in Europe/Berlin: the clocks jump '
        "over it for daylight saving time — use a time before or after the jump",
        'event g-5 "Backwards": ends ("2026-12-01T08:00:00+01:00") before it starts — an event '
        "must not end before it starts",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"schedule": {"conference": ', "the JSON is not valid: Expecting value at column 29"),
        (b'{"conference": {}}', "the JSON is not a schedule export"),
        (b"[1, 2]", "the JSON is not a schedule export"),
        (b'{"schedule": {"conference": {"days": []}}}', "the schedule has no events"),
        (b"[" * 100_000, "the JSON is nested too deeply"),
    ],
)
def test_documents_that_are_not_schedules(data: bytes, message: str) -> None:
    result = parse(data)

    assert len(result.errors) == 1
    assert result.errors[0].message.startswith(message)


def test_lone_surrogate_escape_is_refused() -> None:
    data = document(talk(title="ok \\ud83d\\ude00"), talk(guid="g-2", title="bad \\ud83d"))
    data = data.replace(b"\\\\", b"\\")

    result = parse(data)

    assert len(result.errors) == 1
    issue = result.errors[0]
    assert "lone surrogate" in issue.message
    assert issue.line is not None
    line = data.decode().splitlines()[issue.line - 1]
    assert '"bad \\ud83d"' in line


def test_malformed_json_reports_its_line() -> None:
    result = parse(b'{\n "schedule": {\n  "conference": {,\n')

    assert result.errors[0].line == 3
