"""/where and the 📍 buttons through the real bot process and the emulator."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from bot.sandbox.emulator import TelegramEmulator
from tests.e2e.conftest import Summit, launch
from tests.support.bot_process import summitbot
from tests.support.summit_files import DAY1, summit_files, to_csv

pytestmark = pytest.mark.e2e

DIWAN_XY = (420, 260)
ROOMS = [
    [
        "room", "building", "floor", "capacity", "latitude", "longitude", "address", "map",
        "x", "y", "kind", "accessible", "directions", "directions:fr", "directions:ar",
    ],
    [
        "Diwan Room", "Main Building", "2", "30", "24.713600", "46.675300",
        "1 Summit Avenue", "maps/main-2.png", str(DIWAN_XY[0]), str(DIWAN_XY[1]), "bilateral",
        "yes", "Take the lift to floor 2, then left.", "Prenez l'ascenseur jusqu'au 2e étage.",
        "خذ المصعد إلى الطابق 2 ثم اتجه يسارًا.",
    ],
    [
        "Room A", "Main Building", "1", "50", "24.713600", "46.675300", "1 Summit Avenue",
        "maps/main-1.png", "100", "100", "", "", "First door on the right.", "", "",
    ],
    [
        "Annex Hall", "Annex", "0", "100", "24.714200", "46.678100", "3 Summit Avenue",
        "maps/annex.png", "200", "150", "", "no", "Across the courtyard.", "", "",
    ],
    ["Broom Cupboard", "Annex", "-1", "0", "", "", "", "", "", "", "", "", "", "", ""],
    ["Room C", "Annex", "1", "40", "", "", "", "", "", "", "", "", "Upstairs.", "", ""],
]  # fmt: skip


def plan(width: int = 800, height: int = 500) -> bytes:
    image = Image.new("RGB", (width, height), (247, 246, 240))
    ImageDraw.Draw(image).rectangle((40, 40, width - 40, height - 40), outline=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
async def venue(tmp_path: Path, emulator: TelegramEmulator) -> AsyncIterator[Summit]:
    (tmp_path / "maps").mkdir()
    for name in ("main-2.png", "main-1.png", "annex.png"):
        (tmp_path / "maps" / name).write_bytes(plan())
    files = {**summit_files(datetime.now(UTC)), "rooms.csv": to_csv(ROOMS)}
    async with launch(tmp_path, emulator, files) as running:
        yield running


def photo_image(message) -> Image.Image:
    assert message.photo is not None, message
    return Image.open(io.BytesIO(message.photo.content)).convert("RGB")


async def test_where_gives_the_pin_the_marked_plan_and_directions_in_french(venue):
    farid = await venue.register("farid", language_code=None)  # French by the delegates file
    await farid.send("/where diwan-room")
    pin, photo, words = await farid.replies(3, timeout=10)

    assert pin.venue is not None
    assert (pin.venue.title, pin.venue.address) == ("Main Building", "1 Summit Avenue")
    assert (pin.venue.latitude, pin.venue.longitude) == (24.7136, 46.6753)

    marked = photo_image(photo)
    plain = Image.open(venue.directory / "maps" / "main-2.png").convert("RGB")
    x, y = DIWAN_XY
    around = (x - 15, y - 15, x + 15, y + 15)
    assert ImageChops.difference(marked.crop(around), plain.crop(around)).getbbox() is not None
    far = (0, 0, 30, 30)
    assert ImageChops.difference(marked.crop(far), plain.crop(far)).getbbox() is None
    assert "Diwan Room" in photo.text and "étage 2" in photo.text

    assert "Prenez l'ascenseur jusqu'au 2e étage." in words.text
    assert "Main Building, étage 2" in words.text and "plain-pied" in words.text


async def test_the_second_request_sends_the_same_file_again(venue):
    farid = await venue.register("farid", language_code=None)
    await farid.send("/where Diwan Room")
    first = (await farid.replies(3, timeout=10))[1]
    await farid.send("/where DIWAN ROOM")
    second = (await farid.replies(3, timeout=10))[1]
    assert second.photo.file_id == first.photo.file_id
    assert len(venue.emulator.media.uploads) == 1
    sends = [r for r in venue.emulator.requests if r.method == "sendPhoto"]
    assert len(sends) == 2 and "<upload" not in sends[1].params["photo"]


async def test_two_delegates_asking_at_once_cause_one_upload(venue):
    alice = await venue.register("alice")
    yara = await venue.register("yara")
    await asyncio.gather(alice.send("/where Diwan Room"), yara.send("/where Diwan Room"))
    answers = await asyncio.gather(alice.replies(3, timeout=15), yara.replies(3, timeout=15))
    file_ids = {messages[1].photo.file_id for messages in answers}
    assert len(file_ids) == 1
    assert len(venue.emulator.media.uploads) == 1


async def test_arabic_directions_read_right_to_left_with_the_latin_name_isolated(venue):
    alice = await venue.register("alice", language_code="ar")
    await alice.send("/where Diwan Room")
    _, photo, words = await alice.replies(3, timeout=10)
    assert "خذ المصعد إلى الطابق 2" in words.text
    # The Latin room name inside Arabic text sits in its own directional isolate.
    assert "\u2068Diwan Room\u2069" in words.text
    assert photo.photo is not None


async def test_an_unknown_room_offers_the_closest_names(venue):
    alice = await venue.register("alice")
    await alice.send("/where Dwian Rom")
    offer = await alice.reply()
    assert "I do not know a room called Dwian Rom" in offer.text
    assert "📍 Diwan Room" in offer.button_texts()
    await alice.press(offer, "📍 Diwan Room")
    pin, photo, words = await alice.replies(3, timeout=10)
    assert pin.venue is not None and photo.photo is not None and "Take the lift" in words.text
    await alice.send("/where")
    listing = await alice.reply()
    assert "Annex" in listing.text and "Main Building" in listing.text
    assert "• Broom Cupboard — floor -1" in listing.text
    await alice.send("/where nothing like it")
    assert "Send /where to see all rooms" in (await alice.reply()).text


async def test_the_agenda_carries_a_pin_button_for_known_rooms(venue):
    alice = await venue.register("alice")
    await alice.send(f"/agenda {DAY1.isoformat()}")
    agenda = await alice.reply()
    # Room A is in the rooms file; Salon 3 (her bilateral) is not, so it has no button.
    assert "📍 Room A" in agenda.button_texts()
    assert not any("Salon 3" in text for text in agenda.button_texts())
    await alice.press(agenda, "📍 Room A")
    _, photo, words = await alice.replies(3, timeout=10)
    assert "Room A" in photo.text and "First door on the right." in words.text
    forged = await alice.press(agenda, callback_data="wh:AAAAAAAAAAA", forge=True)
    assert forged.show_alert and "no longer in the venue's rooms" in forged.text
    await alice.no_reply(within=0.5)


async def test_next_carries_a_pin_button(venue):
    alice = await venue.register("alice")
    await alice.send("/next")
    up_next = await alice.reply()
    assert "Briefing on logistics" in up_next.text
    assert up_next.button_texts() == ["📍 Room C"]
    await alice.press(up_next, "📍 Room C")
    assert "Upstairs." in (await alice.reply(timeout=10)).text


async def test_a_move_to_another_building_names_it_and_warns_about_seats(venue):
    alice = await venue.register("alice")
    await venue.organizer.send("/move cyber Annex Hall")
    reply = await venue.organizer.reply()
    assert "1 delegate is being told" in reply.text and "⚠️" not in reply.text
    notice = await alice.reply(timeout=10)
    assert "Room A → Annex Hall" in notice.text
    assert "Annex, floor 0" in notice.text
    assert "📍 Annex Hall" in notice.button_texts()
    await alice.press(notice, "📍 Annex Hall")
    pin, _, words = await alice.replies(3, timeout=10)
    assert pin.venue.title == "Annex" and "Not step-free" in words.text

    await venue.organizer.send("/move cyber Broom Cupboard")
    warned = await venue.organizer.reply()
    assert "⚠️ cyber: 1 delegate has it on their agenda, but Broom Cupboard seats 0." in (
        warned.text
    )
    # No plan and no coordinates: the answer is the directions message alone.
    notice = await alice.reply(timeout=10)
    await alice.press(notice, "📍 Broom Cupboard")
    words = await alice.reply(timeout=10)
    assert "Annex, floor -1" in words.text and words.photo is None and words.venue is None


async def test_a_private_meeting_moved_to_a_known_room_stays_discreet(venue):
    alice = await venue.register("alice")
    await venue.organizer.send("/move bil-xy Diwan Room")
    await venue.organizer.reply()
    notice = await alice.reply(timeout=10)
    assert "Xandria" not in notice.text and "private meeting" in notice.text
    assert "Main Building, floor 2" in notice.text
    assert "📍 Diwan Room" in notice.button_texts()


async def test_a_rooms_file_sent_in_chat_with_maps_is_refused_with_the_way_to_do_it(venue):
    await venue.organizer.send_document(
        "rooms.csv", to_csv(ROOMS[:2]), mime_type="text/csv"
    )  # fmt: skip
    report = await venue.organizer.reply(timeout=10)
    assert "nothing was imported" in report.text
    assert "rooms.csv:2:" in report.text and "summitbot import rooms.csv" in report.text


BAD_ROOMS = """room,building,floor,capacity,latitude,longitude,map,x,y,kind,accessible
Good Room,Main,1,10,,,maps/main-1.png,10,10,,
Lost Map,Main,1,10,,,maps/nowhere.png,10,10,,
Broken Map,Main,1,10,,,maps/broken.png,10,10,,
Off The Map,Main,1,10,,,maps/main-1.png,800,10,,
Many Seats,Main,1,lots,,,,,,,
North Pole Plus,Main,1,10,95,0,,,,,
Odd Kind,Main,1,10,,,,,,ballroom,
Ramp,Main,1,10,,,,,,,perhaps
good-room,Main,2,10,,,,,,,
"""


async def test_a_rooms_file_with_every_kind_of_error_is_rejected_with_its_lines(venue):
    (venue.directory / "maps" / "broken.png").write_bytes(b"\x89PNG but no image")
    path = venue.directory / "bad-rooms.csv"
    path.write_text(BAD_ROOMS)
    result = await summitbot("import", "--config", str(venue.config), str(path))
    assert result.code == 1
    expected = {
        3: 'map "maps/nowhere.png" not found',
        4: 'map "maps/broken.png" is not a readable PNG or JPEG image',
        5: "x,y (800, 10) is outside the map",
        6: 'capacity "lots" is not a whole number',
        7: 'latitude "95" is not a number from -90 to 90',
        8: 'unknown kind "ballroom"',
        9: 'accessible "perhaps" is not yes or no',
        10: "this room is already on line 2",
    }
    for line, message in expected.items():
        assert any(
            text.startswith(f"{path}:{line}: ") and message in text
            for text in result.stdout.splitlines() + result.stderr.splitlines()
        ), (line, result.stdout, result.stderr)
    assert "nothing was imported" in result.stdout + result.stderr


async def test_a_rooms_file_from_chat_without_maps_is_imported_with_capacity_warnings(venue):
    smaller = [["room", "building", "floor", "capacity"], ["Room A", "Main Building", "1", "0"]]
    await venue.organizer.send_document("rooms.csv", to_csv(smaller), mime_type="text/csv")
    report = await venue.organizer.reply(timeout=10)
    assert "✅ Imported rooms.csv." in report.text
    assert "Rooms: 0 added, 1 changed, 0 removed, 0 unchanged" in report.text
    assert "⚠️ cyber: 1 delegate has it on their agenda, but Room A seats 0." in report.text
