"""The agenda as an iCalendar file, read back with icalendar as a phone would read it."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event, vCategory, vDDDTypes

from bot.calendar_ics import agenda_calendar, session_uid
from bot.domain.models import Audience, Session, SessionKind, SessionStatus
from bot.domain.reminders import reminder_minutes
from tests.support.ical import as_event, value

VENUE = ZoneInfo("Asia/Riyadh")
NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def session(id_: str, hour: int, **fields) -> Session:
    start = datetime(2030, 6, 10, hour, tzinfo=VENUE).astimezone(UTC)
    plain = Session(id_, f"Session {id_}", start, start + timedelta(minutes=90), "Room A")
    return replace(plain, **fields)


SESSIONS = [
    session(
        "open",
        9,
        title="Opening plenary",
        kind=SessionKind.PLENARY,
        titles={"fr": "Séance plénière d'ouverture"},
        room="Plenary Hall",
        sequence=0,
    ),
    session(
        "cyber panel/1",
        11,
        title="Cyber defense & <resilience>",
        speakers=("Gen. A. Arnaud, Chief of Staff", "Dr B. Brand"),
        description="Threats; responses, and lessons.",
        track="Cyber",
        sequence=4,
    ),
    session(
        "bil-xy",
        14,
        title="Bilateral: Xandria – Yoland",
        kind=SessionKind.BILATERAL,
        audience=Audience.INVITED,
        room="Salon 3",
    ),
    session("gone", 16, title="Cancelled workshop", status=SessionStatus.CANCELLED, sequence=2),
]


def export(sessions=SESSIONS, *, language="en", summit="Test Summit", minutes=15, now=NOW):
    return agenda_calendar(
        sessions,
        language=language,
        venue=VENUE,
        summit_name=summit,
        reminder_minutes=minutes,
        now=now,
    )


def events(data: bytes) -> dict[str, Event]:
    """The events by UID, checking on the way that no UID appears twice."""
    found = [as_event(event) for event in Calendar.from_ical(data).walk("VEVENT")]
    by_uid = {str(event["UID"]): event for event in found}
    assert len(by_uid) == len(found), "duplicate UIDs"
    return by_uid


def by_session(data: bytes, summit: str = "Test Summit") -> dict[str, Event]:
    return {
        session.id: event
        for session in SESSIONS
        if (event := events(data).get(session_uid(session.id, summit))) is not None
    }


def test_the_calendar_is_a_published_rfc5545_calendar_named_after_the_summit():
    calendar = Calendar.from_ical(export())
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["PRODID"]).startswith("-//")
    assert calendar["X-WR-CALNAME"] == "Test Summit"
    assert export().startswith(b"BEGIN:VCALENDAR\r\n")


def test_one_event_per_session_with_title_room_and_sequence():
    found = by_session(export())
    assert set(found) == {s.id for s in SESSIONS}
    cyber = found["cyber panel/1"]
    assert cyber["SUMMARY"] == "Cyber defense & <resilience>"  # text, not HTML
    assert cyber["LOCATION"] == "Room A"
    assert cyber["SEQUENCE"] == 4
    assert found["gone"]["SEQUENCE"] == 2
    assert found["open"]["SEQUENCE"] == 0
    assert value(cyber, "CATEGORIES", vCategory).cats == ["Cyber"]


def test_uids_are_stable_unique_url_safe_and_specific_to_the_summit():
    first, second = events(export()), events(export(now=NOW + timedelta(days=3)))
    assert set(first) == set(second)
    assert len(first) == len(SESSIONS)
    uid = session_uid("cyber panel/1", "Test Summit")
    assert uid in first
    local, _, domain = uid.partition("@")
    assert local == "cyber%20panel%2F1"
    assert "test-summit" in domain
    assert session_uid("cyber panel/1", "Other Summit") != uid
    # Names without Latin letters still get a summit-specific domain.
    assert session_uid("x", "قمة الرياض") != session_uid("x", "قمة جدة")
    # Percent-encoding is injective: an id that looks encoded does not collide.
    assert session_uid("a b", "S") != session_uid("a%20b", "S")


def test_times_are_the_sessions_instants_in_the_venue_timezone_with_a_vtimezone():
    data = export()
    calendar = Calendar.from_ical(data)
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Asia/Riyadh"
    assert calendar.get_missing_tzids() == set()
    found = by_session(data)
    for original in SESSIONS:
        event = found[original.id]
        assert event["DTSTART"].params["TZID"] == "Asia/Riyadh"
        assert event["DTEND"].params["TZID"] == "Asia/Riyadh"
        assert event.start == original.start
        assert event.end == original.end
    assert b"DTSTART;TZID=Asia/Riyadh:20300610T090000" in data
    assert value(found["open"], "DTSTAMP", vDDDTypes).dt == NOW


def test_a_timezone_with_daylight_saving_keeps_its_rules():
    berlin = ZoneInfo("Europe/Berlin")
    summer = datetime(2030, 7, 1, 9, tzinfo=berlin)
    data = agenda_calendar(
        [session("s", 9, start=summer, end=summer + timedelta(hours=1))],
        language="en",
        venue=berlin,
        summit_name="S",
        reminder_minutes=None,
        now=NOW,
    )
    calendar = Calendar.from_ical(data)
    assert calendar.walk("DAYLIGHT")
    [event] = calendar.walk("VEVENT")
    assert as_event(event).start == summer
    assert b"DTSTART;TZID=Europe/Berlin:20300701T090000" in data


def test_the_delegates_language_picks_the_translated_title():
    found = by_session(export(language="fr"))
    assert found["open"]["SUMMARY"] == "Séance plénière d'ouverture"
    assert found["cyber panel/1"]["SUMMARY"] == "Cyber defense & <resilience>"  # no translation


def test_cancelled_sessions_stay_in_the_file_marked_cancelled():
    found = by_session(export())
    assert found["gone"]["STATUS"] == "CANCELLED"
    assert found["open"]["STATUS"] == "CONFIRMED"


def test_invited_sessions_keep_their_details_but_are_private():
    bilateral = by_session(export())["bil-xy"]
    assert bilateral["SUMMARY"] == "Bilateral: Xandria – Yoland"
    assert bilateral["LOCATION"] == "Salon 3"
    assert bilateral["CLASS"] == "PRIVATE"
    assert "CLASS" not in by_session(export())["open"]


def test_description_lists_speakers_one_per_line_then_the_description():
    found = by_session(export())
    assert found["cyber panel/1"]["DESCRIPTION"] == (
        "🎤 Gen. A. Arnaud, Chief of Staff\n🎤 Dr B. Brand\n\nThreats; responses, and lessons."
    )
    assert "DESCRIPTION" not in found["open"]


def test_each_event_reminds_at_the_delegates_lead():
    found = by_session(export(minutes=25))
    for session_id in ("open", "cyber panel/1", "bil-xy"):
        [alarm] = found[session_id].walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert value(alarm, "TRIGGER", vDDDTypes).dt == timedelta(minutes=-25)
        assert alarm["DESCRIPTION"] == found[session_id]["SUMMARY"]
    assert b"TRIGGER:-PT25M" in export(minutes=25)
    assert found["gone"].walk("VALARM") == []  # no reminder for a cancelled session


@pytest.mark.parametrize("minutes", [None, 0])
def test_no_alarms_when_reminders_are_off(minutes):
    data = export(minutes=minutes)
    assert Calendar.from_ical(data).walk("VALARM") == []
    assert b"VALARM" not in data


def test_an_empty_agenda_is_still_a_valid_calendar():
    calendar = Calendar.from_ical(export([]))
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE") == []


def test_long_and_unusual_text_survives_folding_and_escaping():
    title = "Ministerial round table on " + "interoperability, " * 10 + "بيان ختامي"
    data = export([session("long", 9, title=title, room="Hall; B, east\\wing")])
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert event["SUMMARY"] == title
    assert event["LOCATION"] == "Hall; B, east\\wing"
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_effective_reminder_lead():
    assert reminder_minutes(None, 15) == 15  # never chose: the summit's default
    assert reminder_minutes(30, 15) == 30
    assert reminder_minutes(0, 15) is None  # /remind off


def test_the_venue_time_zone_is_worked_out_once_for_every_calendar() -> None:
    # icalendar needs about 0.2 s to derive a VTIMEZONE: every /calendar answer paid it.
    from bot.calendar_ics import _timezone_for_years

    venue = ZoneInfo("Europe/Brussels")
    _timezone_for_years.cache_clear()
    first = _timezone_for_years(venue, 2030, 2030)
    assert _timezone_for_years(venue, 2030, 2030) is first
    assert _timezone_for_years.cache_info().hits == 1
