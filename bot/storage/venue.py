"""Questions that join the rooms file with the programme, and the rendered maps' file ids.

Sessions name rooms by free text, compared with the rooms file by `room_key`, which SQL
cannot compute; so these read the (small) room table and the sessions and match in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.rooms import Overcrowded, room_key
from bot.storage.database import Database, Reader, Transaction

# Re-exported: handlers still read the rooms through this module.
from bot.storage.rooms import rooms_by_key


async def rooms_unknown_to_rooms_file(database: Reader) -> list[str]:
    """Rooms that scheduled sessions name but the rooms file does not know, sorted.

    Empty when no rooms file was imported at all: then every room is "unknown" and saying
    so would only be noise (a summit may well run without a rooms file).
    """
    known = await rooms_by_key(database)
    if not known:
        return []
    rows = await database.fetchall(
        "SELECT DISTINCT room FROM session WHERE status = 'scheduled' ORDER BY room"
    )
    return [row["room"] for row in rows if room_key(row["room"]) not in known]


async def overcrowded(
    reader: Reader, now: int, session_ids: Sequence[str] | None = None
) -> list[Overcrowded]:
    """Scheduled sessions not over at `now` (epoch seconds) whose attendance exceeds their
    room's capacity; only `session_ids` when given. Attendance counts every delegate who has
    the session on their agenda, registered or not (they may all come)."""
    rooms = await rooms_by_key(reader)
    if not rooms:
        return []
    rows = await reader.fetchall(
        """SELECT s.id, s.title, s.room, s.kind, s.audience,
                  (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id) AS attending
             FROM session s
            WHERE s.status = 'scheduled' AND s.ends_at > ?
            ORDER BY s.starts_at, s.id""",
        (now,),
    )
    wanted = set(session_ids) if session_ids is not None else None
    everyone: int | None = None
    found: list[Overcrowded] = []
    for row in rows:
        if wanted is not None and row["id"] not in wanted:
            continue
        room = rooms.get(room_key(row["room"]))
        if room is None:
            continue
        attending = int(row["attending"])
        if row["kind"] == "plenary" and row["audience"] == "all":
            # An open plenary is on every delegate's agenda (bot.domain.agenda.on_agenda).
            if everyone is None:
                everyone = int((await reader.fetchall("SELECT COUNT(*) FROM delegate"))[0][0])
            attending = everyone
        if attending > room.capacity:
            found.append(Overcrowded(row["id"], row["title"], room.name, attending, room.capacity))
    return found


class RoomPhotos:
    """Telegram file ids of rendered maps, by room and language."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def file_id(self, key: str, language: str, fingerprint: str) -> str | None:
        """The file id of this exact drawing, if it was uploaded before."""
        row = await self._db.fetchone(
            "SELECT fingerprint, file_id FROM room_photo WHERE room_key = ? AND language = ?",
            (key, language),
        )
        if row is None or row["fingerprint"] != fingerprint:
            return None
        return str(row["file_id"])

    async def remember(self, key: str, language: str, fingerprint: str, file_id: str) -> None:
        async with self._db.transaction() as tx:
            await _remember(tx, key, language, fingerprint, file_id)

    async def forget(self, key: str, language: str) -> None:
        """Telegram no longer knows the file id: the next request uploads again."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM room_photo WHERE room_key = ? AND language = ?", (key, language)
            )


async def _remember(
    tx: Transaction, key: str, language: str, fingerprint: str, file_id: str
) -> None:
    await tx.execute(
        """INSERT INTO room_photo (room_key, language, fingerprint, file_id) VALUES (?, ?, ?, ?)
           ON CONFLICT (room_key, language) DO UPDATE SET
               fingerprint = excluded.fingerprint, file_id = excluded.file_id""",
        (key, language, fingerprint, file_id),
    )
