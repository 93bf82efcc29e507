"""What real exports do that used to refuse or garble a file: each rule of issue 16."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.importers import parse_file
from bot.importers.html_text import plain_text
from bot.services.imports import SourceFile, import_files
from bot.storage.database import Database

BERLIN = ZoneInfo("Europe/Berlin")


def xml(events: str, conference: str = "<time_zone_name>Europe/Berlin</time_zone_name>") -> bytes:
    return (
        f"<schedule><conference>{conference}</conference>\n"
        "<day date='2026-12-01' index='1'>\n<room name='Hall'>\n"
        f"{events}</room></day></schedule>\n"
    ).encode()


def json_schedule(days: list[dict[str, Any]], **conference: Any) -> bytes:
    return json.dumps({"schedule": {"conference": {**conference, "days": days}}}).encode()


def test_entities_in_titles_tracks_and_names_are_decoded() -> None:
    # frab escapes HTML before writing XML, so after XML decoding entities remain.
    data = xml(
        "<event guid='g1'><title>Rock&amp;#x27; em</title><track>Security &amp;amp; Safety"
        "</track><date>2026-12-01T09:00:00+01:00</date><duration>00:30</duration>"
        "<persons><person>Ren&amp;eacute;e</person></persons></event>\n"
    )

    result = parse_file("s.xml", data, BERLIN)

    session = result.sessions[0].value
    assert (session.title, session.track, session.speakers) == (
        "Rock' em",
        "Security & Safety",
        ("Renée",),
    )


def test_html_abstract_becomes_clean_text() -> None:
    data = xml(
        "<event guid='g1'><title>T</title><date>2026-12-01T09:00:00+01:00</date>"
        "<duration>00:30</duration><abstract>&lt;p&gt;First &amp;amp; foremost.&lt;/p&gt;"
        "&lt;p&gt;Second&lt;br/&gt;line with &lt;a href='x'&gt;a link&lt;/a&gt;.&lt;/p&gt;"
        "&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;</abstract></event>\n"
    )

    result = parse_file("s.xml", data, BERLIN)

    assert result.sessions[0].value.description == (
        "First & foremost.\n\nSecond\nline with a link.\n\n• one\n• two"
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Plain text\nwith lines, a < b and **markdown**", None),
        ("AT&amp;T &#8212; done", "AT&T — done"),
        ("<p>one</p>\n\n<p>two</p>", "one\n\ntwo"),
    ],
)
def test_plain_text(raw: str, clean: str | None) -> None:
    assert plain_text(raw) == (raw if clean is None else clean)


def test_every_person_shape() -> None:
    event = "<date>2026-12-01T09:00:00+01:00</date><duration>00:30</duration><title>T</title>"
    data = xml(
        f"<event guid='g1'>{event}<persons><person id='1'>In Persons</person></persons></event>"
        f"<event guid='g2'>{event}<person id='2'>Directly</person><person>Twice</person>"
        "</event>\n"
    )
    result = parse_file("s.xml", data, BERLIN)
    assert [s.value.speakers for s in result.sessions] == [("In Persons",), ("Directly", "Twice")]

    talk = {"guid": "g3", "title": "T", "date": "2026-12-01T09:00:00+01:00", "duration": "00:30"}
    persons = [
        {"id": 1, "full_public_name": "Full Public"},
        {"id": 2, "public_name": "Public"},
        {"name": "Pretalx Name", "code": "ABC"},
        "Just A String",
    ]
    data = json_schedule(
        [{"date": "2026-12-01", "rooms": {"Hall": [{**talk, "persons": persons}]}}],
        time_zone_name="Europe/Berlin",
    )
    result = parse_file("s.json", data, BERLIN)
    assert result.sessions[0].value.speakers == (
        "Full Public",
        "Public",
        "Pretalx Name",
        "Just A String",
    )


def test_old_frab_json_without_date_or_day_start_uses_the_day_change() -> None:
    """Only a day date and wall-clock starts: 01:00 after a 22:00 talk is the night after."""
    events = [
        {"id": 3, "title": "Morning", "start": "10:00", "duration": "01:00"},
        {"id": 1, "title": "Evening", "start": "22:00", "duration": "01:00"},
        {"id": 2, "title": "Late night", "start": "01:00", "duration": "00:30"},
    ]
    side = [{"id": 4, "title": "Side", "start": "11:00", "duration": "01:00"}]
    data = json_schedule([{"date": "2026-12-01", "rooms": {"Hall": events, "Side": side}}])

    result = parse_file("old.json", data, BERLIN)

    assert result.ok, result.errors
    starts = {s.value.title: s.value.start.astimezone(BERLIN) for s in result.sessions}
    assert starts == {
        "Evening": datetime(2026, 12, 1, 22, 0, tzinfo=BERLIN),
        "Late night": datetime(2026, 12, 2, 1, 0, tzinfo=BERLIN),
        "Morning": datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN),
        "Side": datetime(2026, 12, 1, 11, 0, tzinfo=BERLIN),
    }
    assert [w.message for w in result.warnings] == [
        'event 2 "Late night": starts at 01:00 on the day of 2026-12-01, before the day '
        "changes at 10:00 — taken as the night after, 2026-12-02 (frab day-change convention)",
        # No time_zone_name and no offsets: said once (see the FOSDEM 2010 test below).
        "the schedule names no time zone (no time_zone_name, no UTC offsets): its times were "
        "read as venue time (Europe/Berlin), e.g. 2026-12-01 10:00 — if the programme was "
        "published for another place, add its time_zone_name (like Europe/Brussels) to the file",
    ]


def test_conference_day_change_is_used_when_given() -> None:
    data = xml(
        "<event id='1'><title>Early</title><start>07:30</start><duration>00:30</duration>"
        "</event>\n<event id='2'><title>Later</title><start>09:00</start><duration>00:30"
        "</duration></event>\n",
        conference="<day_change>08:00</day_change>",
    )

    result = parse_file("s.xml", data, BERLIN)

    early, later = (s.value.start.astimezone(BERLIN) for s in result.sessions)
    assert early == datetime(2026, 12, 2, 7, 30, tzinfo=BERLIN)
    assert later == datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)


def test_date_and_start_that_disagree_follow_the_date_and_are_listed() -> None:
    data = xml(
        # Agrees: 08:00 UTC is 09:00 in Berlin (a UTC date with a local start).
        "<event guid='g1'><title>UTC date</title><date>2026-12-01T08:00:00Z</date>"
        "<start>09:00</start><duration>00:30</duration></event>\n"
        # Disagrees: the date says 09:00, the start 11:00.
        "<event guid='g2'><title>Odd</title><date>2026-12-01T09:00:00+01:00</date>"
        "<start>11:00</start><duration>00:30</duration></event>\n"
    )

    result = parse_file("s.xml", data, BERLIN)

    assert [s.value.start for s in result.sessions] == [
        datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
    ]
    assert [str(w) for w in result.warnings] == [
        's.xml:5: event g2 "Odd": date 2026-12-01T09:00:00+01:00 and start 11:00 disagree — '
        "the date is used (it carries the full date and UTC offset): 2026-12-01 09:00 venue time"
    ]


@pytest.mark.parametrize(
    ("event", "conference", "warning"),
    [
        pytest.param(
            "<event guid='g1'><title>T</title><start>09:00</start><duration>00:30</duration>"
            "</event>\n",
            "<time_zone_name>Europe/London</time_zone_name>",
            "the schedule's time zone is Europe/London, the venue's is Europe/Berlin: times "
            "were converted to venue time (e.g. 09:00 Europe/London = 10:00 venue time)",
            id="a_file_time_zone_other_than_the_venue_is_named",
        ),
        pytest.param(
            # FOSDEM 2010's Pentabarf export: no time_zone_name, no <date>, only wall-clock
            # starts.
            "<event id='819'><title>Welcome</title><start>10:00</start><duration>00:45</duration>"
            "</event>\n",
            "<day_change>08:00</day_change>",
            "the schedule names no time zone (no time_zone_name, no UTC offsets): its times were "
            "read as venue time (Europe/Berlin), e.g. 2026-12-01 10:00 — if the programme was "
            "published for another place, add its time_zone_name (like Europe/Brussels) to the "
            "file",
            id="a_file_with_no_time_zone_at_all_is_read_as_venue_time_and_says_so",
        ),
    ],
)
def test_a_file_zone_that_is_not_the_venues_is_converted_and_named(
    event: str, conference: str, warning: str
) -> None:
    data = xml(event, conference=conference)

    result = parse_file("s.xml", data, BERLIN)

    assert result.sessions[0].value.start == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert [w.message for w in result.warnings] == [warning]


def test_offsets_without_a_zone_name_need_no_such_warning() -> None:
    data = xml(
        "<event guid='g1'><title>T</title><date>2026-12-01T09:00:00+01:00</date>"
        "<duration>00:30</duration></event>\n",
        conference="",
    )

    result = parse_file("s.xml", data, BERLIN)

    assert result.ok and result.warnings == []


def recurring(order: list[int]) -> bytes:
    """A workshop held on three days under one guid, listed in the order given."""
    events = "".join(
        f"<event guid='w'><title>Workshop</title><date>2026-12-0{day}T14:00:00+01:00</date>"
        "<duration>01:00</duration></event>\n"
        for day in order
    )
    return xml(events)


async def test_repeated_guids_get_stable_ids_across_reimports(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "s.db")
    try:
        first = await import_files(database, [SourceFile("a.xml", recurring([1, 2, 3]))], BERLIN)
        assert first.ok, first.errors
        assert first.sessions.added == 3
        assert any("used by 3 events" in str(w) for w in first.warnings)
        # Another export lists the occurrences in another order: the same sessions.
        again = await import_files(database, [SourceFile("b.xml", recurring([3, 1, 2]))], BERLIN)
        assert (again.sessions.added, again.sessions.changed, again.sessions.unchanged) == (0, 0, 3)
        rows = await database.fetchall("SELECT id, starts_at FROM session ORDER BY starts_at")
        assert [row["id"] for row in rows] == ["w", "w#2", "w#3"]
        gap = rows[1]["starts_at"] - rows[0]["starts_at"]
        assert timedelta(seconds=gap) == timedelta(days=1)
    finally:
        await database.close()


def test_an_exact_repeat_is_imported_once() -> None:
    event = (
        "<event guid='b'><title>Coffee</title><date>2026-12-01T10:00:00+01:00</date>"
        "<duration>00:15</duration></event>\n"
    )
    result = parse_file("s.xml", xml(event + event), BERLIN)

    assert [s.value.id for s in result.sessions] == ["b"]
    assert "imported once" in result.warnings[0].message


def test_an_html_abstract_reaches_the_calendar_as_clean_text() -> None:
    from icalendar import Calendar

    from bot.calendar_ics import agenda_calendar

    data = xml(
        "<event guid='g1'><title>T</title><date>2026-12-01T09:00:00+01:00</date>"
        "<duration>00:30</duration><abstract>&lt;p&gt;Doors &amp;amp; badges.&lt;/p&gt;"
        "&lt;p&gt;Bring &lt;b&gt;ID&lt;/b&gt;.&lt;/p&gt;</abstract></event>\n"
    )
    session = parse_file("s.xml", data, BERLIN).sessions[0].value

    ics = agenda_calendar(
        [session],
        language="en",
        venue=BERLIN,
        summit_name="Summit",
        reminder_minutes=None,
        now=datetime(2026, 11, 1, tzinfo=UTC),
    )

    [event] = Calendar.from_ical(ics).walk("VEVENT")
    description = str(event.get("description"))
    assert "Doors & badges.\n\nBring ID." in description
    assert "<" not in description and "&amp;" not in description


def test_raw_line_breaks_in_json_strings_are_read_and_said() -> None:
    # frab's exporter of 2013 wrote abstracts without escaping their line breaks.
    data = (
        b'{"schedule": {"conference": {"time_zone_name": "Europe/Berlin", "days": [\n'
        b'{"date": "2026-12-01", "rooms": {"Hall": [{"id": "1", "title": "T", '
        b'"start": "10:00", "duration": "00:30",\n"abstract": "one\r\n\ttwo"}]}}]}}}'
    )

    result = parse_file("s.json", data, BERLIN)

    assert result.ok, result.errors
    assert result.sessions[0].value.description == "one\r\n\ttwo"
    assert [(w.line, w.message.split(" (")[0]) for w in result.warnings] == [
        (3, "line breaks are written straight into the JSON's strings")
    ]


def test_other_control_characters_in_json_strings_still_refuse_the_file() -> None:
    data = (
        b'{"schedule": {"conference": {"days": [{"date": "2026-12-01", "rooms": {}}]}}, '
        b'"x": "\x07"}'
    )

    result = parse_file("s.json", data, BERLIN)

    assert not result.ok
    assert "Invalid control character" in result.errors[0].message
