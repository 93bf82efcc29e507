"""The demo venue: every demo session's room is on it, with a plan, a pin and directions."""

from datetime import date
from zoneinfo import ZoneInfo

from bot.domain.rooms import RoomKind, room_key
from bot.sandbox.demo_summit import build_demo_summit
from bot.sandbox.demo_venue import LANGUAGES, main, write_demo_venue
from bot.services.imports import import_files, read_files
from bot.storage.database import Database
from bot.storage.rooms import RoomStore
from bot.storage.venue import rooms_unknown_to_rooms_file


async def test_the_demo_venue_imports_and_covers_the_programme(tmp_path):
    rooms_file = write_demo_venue(tmp_path / "venue")
    summit = build_demo_summit(date(2030, 1, 1))
    for name, data in summit.files.items():
        (tmp_path / name).write_bytes(data)
    sources, problems = read_files([rooms_file, *(tmp_path / name for name in summit.files)])
    assert problems == []
    database = await Database.open(tmp_path / "demo.db")
    try:
        report = await import_files(database, sources, ZoneInfo("Asia/Riyadh"))
        assert report.ok, report.errors
        assert await rooms_unknown_to_rooms_file(database) == []
        rooms = await RoomStore(database).all()
        assert {room.building for room in rooms} == {"Conference Centre", "East Pavilion"}
        assert len(await RoomStore(database).of_kind(RoomKind.BILATERAL)) >= 2
        for room in rooms:
            assert room.has_location and room.has_map_position, room.name
            assert {language for language in LANGUAGES if room.directions_in(language)} == set(
                LANGUAGES
            )
            assert len({room.directions_in(language) for language in LANGUAGES}) == 8
        diwan = await RoomStore(database).get("Diwan Briefing Room")
        assert diwan is not None and room_key(diwan.name) == "diwanbriefingroom"
    finally:
        await database.close()


def test_the_docs_picture_command(tmp_path, capsys):
    out = tmp_path / "diwan.png"
    assert main([str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "1200×800" in capsys.readouterr().out
