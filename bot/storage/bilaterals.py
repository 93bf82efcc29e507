"""Bilateral requests and bookings: reading them, and every write of their rows.

A booking's room and time are the session's once it has one (organizers may move or
reschedule it like any session), and a booking whose session was cancelled is cancelled.
Every query that asks "what holds a slot" uses the same condition (`HOLDING`, shared with
`bilateral_slots`), so the search, the re-check in the booking transaction and the daily
caps agree. The delegations and their heads are in `delegations`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace

from bot.domain.bilaterals import Booking, BookingState, Conflict, Participant, effective_state
from bot.domain.models import Audience, Session, SessionKind
from bot.domain.rooms import room_key
from bot.storage.database import Reader, Transaction
from bot.storage.programme import from_timestamp, to_timestamp
from bot.storage.rows import from_row

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

HOLDING = """
    (b.state IN ('approval', 'confirmed') OR (b.state = 'pending' AND b.expires_at > :now))
    AND NOT EXISTS (SELECT 1 FROM session x WHERE x.id = b.session_id AND x.status = 'cancelled')
    AND b.id != :ignore
"""


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
        from_row(
            Booking,
            row,
            start=from_timestamp(row["starts_at"]),
            end=from_timestamp(row["ends_at"]),
            state=BookingState(row["state"]),
            expires_at=from_timestamp(row["expires_at"]),
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


async def replace_side(
    tx: Transaction, booking_id: int, delegation_id: int, delegate_ids: Sequence[str]
) -> None:
    """The participants of one side become exactly `delegate_ids` (the answer's choice)."""
    await tx.execute(
        """DELETE FROM bilateral_participant WHERE bilateral_id = ? AND delegate_id IN
           (SELECT id FROM delegate WHERE delegation_id = ?)""",
        (booking_id, delegation_id),
    )
    await add_participants(tx, booking_id, delegate_ids)


async def expire(tx: Transaction, booking_id: int, now: int) -> bool:
    """Expire a request still pending; False if it was answered meanwhile."""
    changed = await tx.execute(
        "UPDATE bilateral SET state = 'expired', updated_at = ? WHERE id = ? AND state = 'pending'",
        (now, booking_id),
    )
    return bool(changed)


async def link_session(tx: Transaction, booking_id: int, session_id: str) -> None:
    """The booked meeting's session: from now on its room and time are the booking's."""
    await tx.execute("UPDATE bilateral SET session_id = ? WHERE id = ?", (session_id, booking_id))


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
                f"""{HOLDING} AND COALESCE(s.starts_at, b.starts_at) < :end
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
