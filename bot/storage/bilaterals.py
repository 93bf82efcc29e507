"""Bilateral requests and bookings: the SQL behind bot.services.bilaterals.

A booking's room and time are the session's once it has one (organizers may move or
reschedule it like any session), and a booking whose session was cancelled is cancelled.
Every query that asks "what holds a slot" uses the same condition (`_HOLDING`), so the
search, the re-check in the booking transaction and the daily caps agree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, tzinfo

from bot.domain.bilaterals import (
    Booking,
    BookingState,
    Interval,
    Participant,
    PoolRoom,
    effective_state,
    venue_day,
)
from bot.domain.models import Audience, Delegate, Role, Session, SessionKind
from bot.domain.rooms import RoomKind, room_key
from bot.storage.database import Reader, Transaction
from bot.storage.programme import from_timestamp, to_timestamp
from bot.storage.recipients import COLUMNS, Recipient, recipient

# A booking's effective place and time: its session's, once it has one.
_BOOKING = """
    SELECT b.id, b.requester_id, r.name AS requester, b.other_id, o.name AS other,
           b.requested_by, COALESCE(s.room, b.room) AS room,
           COALESCE(s.starts_at, b.starts_at) AS starts_at,
           COALESCE(s.ends_at, b.ends_at) AS ends_at, b.topic,
           CASE WHEN s.status = 'cancelled' THEN 'cancelled' ELSE b.state END AS state,
           b.reason, b.expires_at, b.session_id, b.replaces
      FROM bilateral b
      JOIN delegation r ON r.id = b.requester_id
      JOIN delegation o ON o.id = b.other_id
      LEFT JOIN session s ON s.id = b.session_id
"""

_HOLDING = """
    (b.state IN ('approval', 'confirmed') OR (b.state = 'pending' AND b.expires_at > :now))
    AND NOT EXISTS (SELECT 1 FROM session x WHERE x.id = b.session_id AND x.status = 'cancelled')
    AND b.id != :ignore
"""


@dataclass(frozen=True, slots=True)
class DelegationRef:
    id: int
    name: str


def _participants(rows: Sequence[sqlite3.Row]) -> dict[int, list[Participant]]:
    found: dict[int, list[Participant]] = {}
    for row in rows:
        found.setdefault(row["bilateral_id"], []).append(
            Participant(row["delegate_id"], row["name"], row["delegation_id"])
        )
    return found


async def _bookings(reader: Reader, where: str, params: dict[str, object]) -> list[Booking]:
    rows = await reader.fetchall(f"{_BOOKING} WHERE {where} ORDER BY 8, b.id", params)
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    people: dict[int, list[Participant]] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        marks = ",".join("?" * len(chunk))
        people.update(
            _participants(
                await reader.fetchall(
                    f"""SELECT p.bilateral_id, p.delegate_id, d.name, d.delegation_id
                          FROM bilateral_participant p JOIN delegate d ON d.id = p.delegate_id
                         WHERE p.bilateral_id IN ({marks}) ORDER BY d.name, d.id""",
                    chunk,
                )
            )
        )
    return [
        Booking(
            id=row["id"],
            requester_id=row["requester_id"],
            requester=row["requester"],
            other_id=row["other_id"],
            other=row["other"],
            requested_by=row["requested_by"],
            room=row["room"],
            start=from_timestamp(row["starts_at"]),
            end=from_timestamp(row["ends_at"]),
            topic=row["topic"],
            state=BookingState(row["state"]),
            reason=row["reason"],
            expires_at=from_timestamp(row["expires_at"]),
            session_id=row["session_id"],
            replaces=row["replaces"],
            participants=tuple(people.get(row["id"], ())),
        )
        for row in rows
    ]


def with_expiry(booking: Booking, now: int) -> Booking:
    """The booking as it stands at `now` (a pending request past its expiry is expired)."""
    state = effective_state(booking.state, int(booking.expires_at.timestamp()), now)
    return booking if state is booking.state else replace(booking, state=state)


async def booking(reader: Reader, booking_id: int) -> Booking | None:
    found = await _bookings(reader, "b.id = :id", {"id": booking_id})
    return found[0] if found else None


async def for_delegation(reader: Reader, delegation_id: int, since: int) -> list[Booking]:
    """A delegation's requests and meetings not yet over (as asker or asked)."""
    return await _bookings(
        reader,
        "(b.requester_id = :d OR b.other_id = :d) AND COALESCE(s.ends_at, b.ends_at) > :since",
        {"d": delegation_id, "since": since},
    )


async def between(reader: Reader, start: int | None, end: int | None) -> list[Booking]:
    """Every booking starting in [start, end) (all of them without bounds)."""
    return await _bookings(
        reader,
        "COALESCE(s.starts_at, b.starts_at) >= :start"
        " AND COALESCE(s.starts_at, b.starts_at) < :end",
        {
            "start": start if start is not None else -(2**62),
            "end": end if end is not None else 2**62,
        },
    )


async def pending_expired(reader: Reader, now: int) -> list[Booking]:
    return await _bookings(reader, "b.state = 'pending' AND b.expires_at <= :now", {"now": now})


async def delegation_of(reader: Reader, delegate_id: str) -> DelegationRef | None:
    row = await reader.fetchone(
        """SELECT g.id, g.name FROM delegate d JOIN delegation g ON g.id = d.delegation_id
            WHERE d.id = ?""",
        (delegate_id,),
    )
    return None if row is None else DelegationRef(row["id"], row["name"])


async def delegations(reader: Reader) -> list[DelegationRef]:
    """The delegations a bilateral can be asked of: those with a head to answer it (the
    organizers' own pseudo-delegation, say, has none)."""
    rows = await reader.fetchall(
        """SELECT g.id, g.name FROM delegation g
            WHERE EXISTS (SELECT 1 FROM delegate d
                           WHERE d.delegation_id = g.id AND d.role = 'head')
            ORDER BY g.name COLLATE NOCASE"""
    )
    return [DelegationRef(row["id"], row["name"]) for row in rows]


async def members(reader: Reader, delegation_id: int) -> list[Delegate]:
    rows = await reader.fetchall(
        """SELECT d.id, d.name, d.language, d.role, g.name AS delegation
             FROM delegate d JOIN delegation g ON g.id = d.delegation_id
            WHERE d.delegation_id = ? ORDER BY d.name, d.id""",
        (delegation_id,),
    )
    return [
        Delegate(row["id"], row["name"], row["delegation"], row["language"], Role(row["role"]))
        for row in rows
    ]


async def organizers(reader: Reader, user_ids: Sequence[int]) -> list[tuple[int, str | None]]:
    """Organizers to tell (Telegram id, language): the configured ids and the registered
    delegates whose role is organizer."""
    rows = await reader.fetchall(
        """SELECT u.user_id, COALESCE(u.language, d.language, u.telegram_language) AS language
             FROM telegram_user u JOIN delegate d ON d.id = u.delegate_id
            WHERE u.reachable = 1 AND d.role = 'organizer'"""
    )
    found: dict[int, str | None] = {row["user_id"]: row["language"] for row in rows}
    for user_id in user_ids:
        if user_id not in found:
            row = await reader.fetchone(
                "SELECT COALESCE(language, telegram_language) FROM telegram_user WHERE user_id = ?",
                (user_id,),
            )
            found[user_id] = row[0] if row else None
    return sorted(found.items())


async def heads(reader: Reader, delegation_ids: Sequence[int]) -> list[Recipient]:
    """The registered, reachable heads of these delegations: who is told about requests."""
    marks = ",".join("?" * len(delegation_ids))
    rows = await reader.fetchall(
        f"""SELECT {COLUMNS} FROM telegram_user u JOIN delegate d ON d.id = u.delegate_id
             WHERE u.reachable = 1 AND d.role = 'head' AND d.delegation_id IN ({marks})
             ORDER BY d.id""",
        tuple(delegation_ids),
    )
    return [recipient(row) for row in rows]


async def recipients_of(reader: Reader, delegate_ids: Sequence[str]) -> list[Recipient]:
    if not delegate_ids:
        return []
    marks = ",".join("?" * len(delegate_ids))
    rows = await reader.fetchall(
        f"""SELECT {COLUMNS} FROM telegram_user u JOIN delegate d ON d.id = u.delegate_id
             WHERE u.reachable = 1 AND d.id IN ({marks}) ORDER BY d.id""",
        tuple(delegate_ids),
    )
    return [recipient(row) for row in rows]


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
               AND {_HOLDING}""",
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
               AND {_HOLDING}""",
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
             WHERE (b.requester_id IN ({marks}) OR b.other_id IN ({marks})) AND {_HOLDING}""",
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


async def insert_request(
    tx: Transaction,
    *,
    requester_id: int,
    other_id: int,
    requested_by: str,
    room: str,
    start: int,
    end: int,
    topic: str,
    expires_at: int,
    participants: Sequence[str],
    replaces: int | None,
    now: int,
) -> int:
    booking_id = await tx.insert(
        """INSERT INTO bilateral (requester_id, other_id, requested_by, room, starts_at, ends_at,
                                  topic, state, expires_at, replaces, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)""",
        (
            requester_id,
            other_id,
            requested_by,
            room,
            start,
            end,
            topic,
            expires_at,
            replaces,
            now,
            now,
        ),
    )
    await tx.executemany(
        "INSERT OR IGNORE INTO bilateral_participant (bilateral_id, delegate_id) VALUES (?, ?)",
        [(booking_id, delegate_id) for delegate_id in participants],
    )
    return booking_id


async def set_state(
    tx: Transaction,
    booking_id: int,
    state: BookingState,
    now: int,
    *,
    reason: str | None = None,
    answered_by: str | None = None,
    session_id: str | None = None,
) -> None:
    await tx.execute(
        """UPDATE bilateral SET state = ?, updated_at = ?, reason = COALESCE(?, reason),
                  answered_by = COALESCE(?, answered_by), session_id = COALESCE(?, session_id)
            WHERE id = ?""",
        (state.value, now, reason, answered_by, session_id, booking_id),
    )


async def add_participants(tx: Transaction, booking_id: int, delegate_ids: Sequence[str]) -> None:
    await tx.executemany(
        "INSERT OR IGNORE INTO bilateral_participant (bilateral_id, delegate_id) VALUES (?, ?)",
        [(booking_id, delegate_id) for delegate_id in delegate_ids],
    )


Conflict = tuple[Session, list[Booking]]


async def conflicts(reader: Reader, sessions: Sequence[Session], now: int) -> list[Conflict]:
    """Holding bookings these sessions collide with, for the organizers' report.

    An open plenary is on everyone's agenda, so it collides with every booking at its
    time; any other session only with bookings in its own room at its time.
    """
    found: list[Conflict] = []
    for session in sessions:
        if session.cancelled:
            continue
        everyone = session.kind is SessionKind.PLENARY and session.audience is Audience.ALL
        hit = [
            booking
            for booking in await _bookings(
                reader,
                f"""{_HOLDING} AND COALESCE(s.starts_at, b.starts_at) < :end
                    AND COALESCE(s.ends_at, b.ends_at) > :start
                    AND COALESCE(b.session_id, '') != :session""",
                {
                    "now": now,
                    "ignore": 0,
                    "start": to_timestamp(session.start),
                    "end": to_timestamp(session.end),
                    "session": session.id,
                },
            )
            if everyone or room_key(booking.room) == room_key(session.room)
        ]
        if hit:
            found.append((session, hit))
    return found
