"""The venue service: what /where, /agenda and /move ask of the rooms file."""

from datetime import UTC, datetime

from bot.services.venue import Venue
from bot.storage.database import Database
from tests.storage.test_venue import ATTENDANCE, DELEGATES, ROOMS, SESSIONS, load


async def test_rooms_by_name_and_key_and_who_is_crowded_at_a_moment(tmp_path):
    database = await Database.open(tmp_path / "summit.db")
    try:
        await load(
            database,
            ("sessions.csv", SESSIONS),
            ("delegates.csv", DELEGATES),
            ("attendance.csv", ATTENDANCE),
            ("rooms.csv", ROOMS),
        )
        venue = Venue(database)
        assert [room.name for room in await venue.rooms()] == ["Plenary Hall", "Room A"]
        assert sorted(await venue.rooms_by_key()) == ["plenaryhall", "rooma"]
        before = datetime(2030, 6, 1, tzinfo=UTC)
        assert [c.session_id for c in await venue.overcrowded(["cyber"], before)] == ["cyber"]
        # Over by then: a session that has ended crowds nobody.
        after = datetime(2030, 6, 11, tzinfo=UTC)
        assert await venue.overcrowded(["cyber"], after) == []
    finally:
        await database.close()
