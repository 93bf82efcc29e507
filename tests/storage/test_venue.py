"""Questions joining the rooms file with the programme; the rendered maps' file ids."""

from zoneinfo import ZoneInfo

from bot.services.imports import SourceFile, import_files
from bot.storage.database import Database
from bot.storage.venue import RoomPhotos, overcrowded, rooms_unknown_to_rooms_file
from tests.support.summit_files import to_csv

RIYADH = ZoneInfo("Asia/Riyadh")
SESSIONS = [
    ["id", "title", "start", "end", "room", "kind", "status"],
    ["open", "Opening", "2030-06-10T09:00", "2030-06-10T10:00", "Plenary Hall", "plenary", ""],
    ["cyber", "Cyber", "2030-06-10T11:00", "2030-06-10T12:00", "room-a", "panel", ""],
    ["gone", "Gone", "2030-06-10T13:00", "2030-06-10T14:00", "Cellar", "panel", "cancelled"],
    ["lost", "Lost", "2030-06-10T15:00", "2030-06-10T16:00", "Tent 7", "panel", ""],
    ["past", "Past", "2020-06-10T15:00", "2020-06-10T16:00", "Room A", "panel", ""],
]
DELEGATES = [["id", "name", "delegation"], ["a", "A", "X"], ["b", "B", "X"], ["c", "C", "Y"]]
ATTENDANCE = [["delegate_id", "session_id"], ["a", "cyber"], ["b", "cyber"], ["a", "past"],
              ["b", "past"]]  # fmt: skip
ROOMS = [["room", "building", "floor", "capacity"], ["Plenary Hall", "Main", "0", "2"],
         ["Room A", "Main", "1", "1"]]  # fmt: skip


async def load(database, *files):
    sources = [SourceFile(name, to_csv(rows)) for name, rows in files]
    report = await import_files(database, sources, RIYADH)
    assert report.ok, report.errors
    return report


async def test_without_a_rooms_file_no_room_is_called_unknown(tmp_path):
    database = await Database.open(tmp_path / "summit.db")
    try:
        await load(database, ("sessions.csv", SESSIONS))
        assert await rooms_unknown_to_rooms_file(database) == []
        assert await overcrowded(database, 0) == []
    finally:
        await database.close()


async def test_unknown_rooms_and_overcrowded_sessions(tmp_path):
    database = await Database.open(tmp_path / "summit.db")
    try:
        report = await load(
            database,
            ("sessions.csv", SESSIONS),
            ("delegates.csv", DELEGATES),
            ("attendance.csv", ATTENDANCE),
            ("rooms.csv", ROOMS),
        )
        # Cancelled sessions' rooms do not matter; "room-a" is "Room A".
        assert await rooms_unknown_to_rooms_file(database) == ["Tent 7"]
        # The open plenary is on all three agendas; cyber has two; the past one is over.
        crowded = [(c.session_id, c.attendance, c.capacity) for c in report.overcrowded]
        assert crowded == [("open", 3, 2), ("cyber", 2, 1)]
        assert [c.session_id for c in await overcrowded(database, 0, ["cyber"])] == ["cyber"]
        assert "warning: session cyber has 2 delegates on its agenda but Room A seats 1" in (
            report.summary_lines()
        )
        assert "rooms: 2 added, 0 changed, 0 unchanged" in report.summary_lines()
        again = await load(database, ("rooms.csv", [*ROOMS[:2], ["Room A", "Main", "1", "5"]]))
        assert (again.rooms.added, again.rooms.changed, again.rooms.unchanged) == (0, 1, 1)
        assert [c.session_id for c in again.overcrowded] == ["open"]
    finally:
        await database.close()


async def test_room_photos_keep_one_file_id_per_room_and_language(tmp_path):
    database = await Database.open(tmp_path / "summit.db")
    try:
        photos = RoomPhotos(database)
        assert await photos.file_id("diwanroom", "fr", "f1") is None
        await photos.remember("diwanroom", "fr", "f1", "FILE-1")
        assert await photos.file_id("diwanroom", "fr", "f1") == "FILE-1"
        assert await photos.file_id("diwanroom", "ar", "f1") is None
        # Another drawing (a new plan, another position) is not the uploaded one.
        assert await photos.file_id("diwanroom", "fr", "f2") is None
        await photos.remember("diwanroom", "fr", "f2", "FILE-2")
        assert await photos.file_id("diwanroom", "fr", "f2") == "FILE-2"
        await photos.forget("diwanroom", "fr")
        assert await photos.file_id("diwanroom", "fr", "f2") is None
    finally:
        await database.close()
