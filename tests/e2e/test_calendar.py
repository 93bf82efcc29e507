"""/calendar through the real bot process and the emulator: the file a phone would import."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar, Event, vInt

from bot.calendar_ics import session_uid
from bot.sandbox.driver import BotMessage, Document, SimulatedUser
from tests.e2e.conftest import launch
from tests.support.bot_process import summitbot
from tests.support.ical import as_event, value
from tests.support.summit_files import (
    DELEGATES,
    SESSIONS_HEADER,
    VENUE,
    programme_rows,
    to_csv,
)

pytestmark = pytest.mark.e2e

ALICES = {"open", "cyber", "bil-xy", "gone", "soon", "closing"}
SUMMIT = "Test Summit"  # tests.support.bot_process.write_config


async def calendar_message(user: SimulatedUser) -> tuple[BotMessage, Document]:
    """The next message with a document, and the document, passing over any pushed before."""
    while True:
        message = await user.reply()
        if message.document is not None:
            return message, message.document


async def calendar_file(user: SimulatedUser) -> bytes:
    """The content of the next calendar file sent to ``user``."""
    _, document = await calendar_message(user)
    return document.content


def events_by_session(data: bytes) -> dict[str, Event]:
    events = [as_event(event) for event in Calendar.from_ical(data).walk("VEVENT")]
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    return {uid.partition("@")[0]: event for uid, event in zip(uids, events, strict=True)}


async def test_calendar_file_holds_exactly_the_delegates_agenda(summit):
    alice = await summit.register("alice")
    await alice.send("/calendar")
    message, document = await calendar_message(alice)
    assert document.file_name == "summit-agenda.ics"
    assert document.mime_type == "text/calendar"
    assert "6 sessions" in message.text and SUMMIT in message.text
    assert "/calendar again" in message.text

    calendar = Calendar.from_ical(document.content)
    assert calendar["X-WR-CALNAME"] == SUMMIT
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Riyadh"]
    events = events_by_session(document.content)
    assert set(events) == ALICES  # never bil-zy (Zembla's) nor the invited-only plenary
    assert str(events["cyber"]["UID"]) == session_uid("cyber", SUMMIT)
    assert events["cyber"]["SUMMARY"] == "Cyber defense & <resilience>"
    assert events["cyber"]["LOCATION"] == "Room A"
    assert events["bil-xy"]["SUMMARY"] == "Bilateral: Xandria – Yoland"
    assert events["gone"]["STATUS"] == "CANCELLED"
    assert events["open"]["STATUS"] == "CONFIRMED"
    assert all(event["DTSTART"].params["TZID"] == "Asia/Riyadh" for event in events.values())
    assert all(event["DTEND"].params["TZID"] == "Asia/Riyadh" for event in events.values())
    opening = events["open"]
    assert opening["DTSTART"].params["TZID"] == "Asia/Riyadh"
    assert opening.start == datetime(2030, 6, 10, 9, 0, tzinfo=VENUE)
    assert opening.end == datetime(2030, 6, 10, 10, 0, tzinfo=VENUE)
    [alarm] = opening.walk("VALARM")
    assert alarm["TRIGGER"].to_ical() == b"-PT15M"  # the summit's default lead


async def test_a_changed_session_comes_back_with_a_higher_sequence(summit, tmp_path):
    alice = await summit.register("alice")
    await alice.send("/calendar")
    before = events_by_session(await calendar_file(alice))["cyber"]

    row = next(r for r in programme_rows(datetime.now(UTC)) if r[0] == "cyber")
    row[SESSIONS_HEADER.index("room")] = "Room Z"
    path = tmp_path / "moved.csv"
    path.write_bytes(to_csv([SESSIONS_HEADER, row]))
    imported = await summitbot("import", "--config", str(summit.config), str(path))
    assert imported.code == 0, imported.stderr

    await alice.send("/calendar")
    after = events_by_session(await calendar_file(alice))["cyber"]
    assert after["UID"] == before["UID"]
    assert value(after, "SEQUENCE", vInt) > value(before, "SEQUENCE", vInt)
    assert (before["LOCATION"], after["LOCATION"]) == ("Room A", "Room Z")


async def test_translated_titles_in_the_delegates_language(summit):
    farid = await summit.register("farid")  # French in the delegates file
    await farid.send("/calendar")
    events = events_by_session(await calendar_file(farid))
    assert events["open"]["SUMMARY"] == "Séance plénière d'ouverture"


async def test_only_registered_delegates_in_a_private_chat_get_the_file(summit):
    guest = summit.new_user()
    await guest.send("/calendar")
    reply = await guest.reply()
    assert reply.document is None
    assert "/start" in reply.text and "invite code" in reply.text

    alice = await summit.register("alice")
    group = summit.emulator.group(-100778, title="Xandria delegation")
    await group.send(alice, "/calendar")
    reply = await group.reply()
    assert reply.document is None and "private chat" in reply.text
    await group.no_reply(within=0.3)


async def test_an_empty_agenda_gets_a_message_not_an_empty_file(tmp_path, emulator):
    async with launch(tmp_path, emulator, {"delegates.csv": to_csv(DELEGATES)}) as summit:
        alice = await summit.register("alice")
        await alice.send("/calendar")
        reply = await alice.reply()
        assert reply.document is None
        assert "Nothing is on your agenda yet" in reply.text
