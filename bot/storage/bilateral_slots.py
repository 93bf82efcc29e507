"""What holds the bilateral pool's rooms and the delegates' time: the slot search's inputs.

"Held" means the same everywhere (`bilaterals.HOLDING`), so the search, the re-check in
the booking transaction and the daily caps agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo

from bot.domain.bilaterals import Interval, PoolRoom, venue_day
from bot.domain.rooms import RoomKind, room_key
from bot.storage.bilaterals import HOLDING
from bot.storage.database import Reader


async def pool(reader: Reader) -> list[PoolRoom]:
    rows = await reader.fetchall(
        "SELECT key, name, capacity FROM room WHERE kind = ? ORDER BY name",
        (RoomKind.BILATERAL.value,),
    )
    return [PoolRoom(row["key"], row["name"], row["capacity"]) for row in rows]


async def room_busy(
    reader: Reader, rooms: Sequence[PoolRoom], start: int, end: int, now: int, ignore: int = 0
) -> dict[str, list[Interval]]:
    """By pool room key: scheduled sessions and holding bookings (without a session yet)."""
    keys = {room.key for room in rooms}
    busy: dict[str, list[Interval]] = {key: [] for key in keys}
    for row in await reader.fetchall(
        """SELECT room, starts_at, ends_at FROM session
            WHERE status = 'scheduled' AND ends_at > :start AND starts_at < :end
              AND id NOT IN (SELECT session_id FROM bilateral
                              WHERE id = :ignore AND session_id IS NOT NULL)""",
        {"start": start, "end": end, "ignore": ignore},
    ):
        key = room_key(row["room"])
        if key in keys:
            busy[key].append((row["starts_at"], row["ends_at"]))
    for row in await reader.fetchall(
        f"""SELECT b.room, b.starts_at, b.ends_at FROM bilateral b
             WHERE b.session_id IS NULL AND b.ends_at > :start AND b.starts_at < :end
               AND {HOLDING}""",
        {"start": start, "end": end, "now": now, "ignore": ignore},
    ):
        key = room_key(row["room"])
        if key in keys:
            busy[key].append((row["starts_at"], row["ends_at"]))
    return busy


async def people_busy(
    reader: Reader, delegate_ids: Sequence[str], start: int, end: int, now: int, ignore: int = 0
) -> list[Interval]:
    """When any of these delegates has a scheduled agenda item or a held request."""
    if not delegate_ids:
        return []
    window = {"start": start, "end": end, "now": now, "ignore": ignore}
    named = {f"p{i}": delegate_id for i, delegate_id in enumerate(delegate_ids)}
    marks = ",".join(f":{name}" for name in named)
    rows = await reader.fetchall(
        f"""SELECT s.starts_at, s.ends_at FROM session s
              JOIN attendance a ON a.session_id = s.id AND a.delegate_id IN ({marks})
             WHERE s.status = 'scheduled' AND s.ends_at > :start AND s.starts_at < :end
               AND s.id NOT IN (SELECT session_id FROM bilateral
                                 WHERE id = :ignore AND session_id IS NOT NULL)
            UNION ALL
            SELECT starts_at, ends_at FROM session
             WHERE kind = 'plenary' AND audience = 'all' AND status = 'scheduled'
               AND ends_at > :start AND starts_at < :end
            UNION ALL
            SELECT b.starts_at, b.ends_at FROM bilateral b
              JOIN bilateral_participant p ON p.bilateral_id = b.id AND p.delegate_id IN ({marks})
             WHERE b.session_id IS NULL AND b.ends_at > :start AND b.starts_at < :end
               AND {HOLDING}""",
        {**window, **named},
    )
    return [(row[0], row[1]) for row in rows]


async def day_counts(
    reader: Reader, delegation_ids: Sequence[int], zone: tzinfo, now: int, ignore: int = 0
) -> dict[date, int]:
    """Per venue day, the holding bookings of the busiest of these delegations."""
    marks = ",".join(f":d{i}" for i in range(len(delegation_ids)))
    named = {f"d{i}": value for i, value in enumerate(delegation_ids)}
    rows = await reader.fetchall(
        f"""SELECT b.requester_id, b.other_id, COALESCE(s.starts_at, b.starts_at) AS starts_at
              FROM bilateral b LEFT JOIN session s ON s.id = b.session_id
             WHERE (b.requester_id IN ({marks}) OR b.other_id IN ({marks})) AND {HOLDING}""",
        {**named, "now": now, "ignore": ignore},
    )
    per: dict[tuple[int, date], int] = {}
    for row in rows:
        day = venue_day(row["starts_at"], zone)
        for delegation in {row["requester_id"], row["other_id"]} & set(delegation_ids):
            per[(delegation, day)] = per.get((delegation, day), 0) + 1
    counts: dict[date, int] = {}
    for (_, day), count in per.items():
        counts[day] = max(counts.get(day, 0), count)
    return counts
