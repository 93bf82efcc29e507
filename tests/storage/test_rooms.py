from bot.domain.rooms import Room, RoomKind, room_key
from bot.storage.database import Database
from bot.storage.rooms import RoomStore, upsert_rooms


def test_room_key_forgives_case_accents_and_punctuation():
    assert room_key("Hall B") == room_key("hall-b") == room_key("HALL  b") == "hallb"
    assert room_key("Salle Élysée") == room_key("salle elysee")
    assert room_key("Diwan Room") != room_key("Diwan Room 2")


async def test_rooms_round_trip_and_update_by_key(tmp_path):
    database = await Database.open(tmp_path / "summit.db")
    try:
        store = RoomStore(database)
        diwan = Room(
            name="Diwan Room",
            building="Annex",
            floor="2",
            capacity=40,
            latitude=24.7,
            longitude=46.6,
            map_path="/maps/annex.png",
            x=120,
            y=80,
            kind=RoomKind.BILATERAL,
            directions={"": "Lift to 2", "ar": "المصعد"},
            accessible=True,
        )
        async with database.transaction() as tx:
            await upsert_rooms(tx, [diwan, Room("Hall A", "Main", "0", 800)])
        assert await store.get("diwan-room") == diwan
        assert [r.name for r in await store.of_kind(RoomKind.BILATERAL)] == ["Diwan Room"]
        async with database.transaction() as tx:
            await upsert_rooms(tx, [Room("DIWAN room", "Annex", "3", 50)])
        moved = await store.get("Diwan Room")
        assert moved is not None and (moved.floor, moved.capacity) == ("3", 50)
        assert len(await store.all()) == 2
        assert moved.directions_in("fr") == ""
        assert diwan.directions_in("ar") == "المصعد" and diwan.directions_in("fr") == "Lift to 2"
    finally:
        await database.close()
