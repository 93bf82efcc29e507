"""📍 buttons in pushed messages, and the place line of a room change."""

from datetime import UTC, datetime

from bot.domain.changes import SessionChanged, changes_between
from bot.domain.models import Audience, Session, SessionKind
from bot.domain.rooms import Room
from bot.i18n import Catalogs
from bot.views import notices
from bot.views.where import WHERE_CALLBACK, room_button_data

T = Catalogs.load(UTC)
ANNEX = Room("Annex Hall", "Annex", "0", 100)
ROOMS = {ANNEX.key: ANNEX}
START = datetime(2030, 6, 10, 9, tzinfo=UTC)


def session(room: str, *, private: bool = False) -> Session:
    return Session(
        id="s" * 80,  # a long id must not make the callback data too long
        title="Secret talks" if private else "Cyber",
        start=START,
        end=START.replace(hour=10),
        room=room,
        kind=SessionKind.BILATERAL if private else SessionKind.PANEL,
        audience=Audience.INVITED if private else Audience.ALL,
    )


def test_a_reminder_has_a_pin_button_only_for_a_known_room():
    known = notices.reminder(T.get("en"), session("annex-hall"), discreet=True, rooms=ROOMS)
    assert [(b.text, b.data) for row in known.buttons for b in row] == [
        ("📍 Annex Hall", room_button_data(ANNEX))
    ]
    assert room_button_data(ANNEX).startswith(WHERE_CALLBACK)
    assert len(room_button_data(ANNEX).encode()) <= 64
    unknown = notices.reminder(T.get("en"), session("Tent 7"), discreet=True, rooms=ROOMS)
    assert unknown.buttons == ()


def test_a_discreet_reminder_still_shows_only_time_and_room():
    reply = notices.reminder(
        T.get("en"), session("Annex Hall", private=True), discreet=True, rooms=ROOMS
    )
    assert "Secret talks" not in reply.text and "Annex Hall" in reply.text
    assert reply.buttons


def test_a_room_change_names_the_building_and_floor_in_the_delegates_language():
    before, after = session("Room A"), session("Annex Hall")
    change = SessionChanged(before, after, changes_between(before, after))
    (french,) = notices.changes(T.get("fr"), [change], discreet=True, rooms=ROOMS)
    assert "Annex, étage 0" in french.text
    assert french.buttons[0][0].text == "📍 Annex Hall"
    (plain,) = notices.changes(T.get("en"), [change], discreet=True)
    assert "Annex, floor 0" not in plain.text and plain.buttons == ()
