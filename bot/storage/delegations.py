"""Delegations and who speaks for them: the people bilateral requests go to and come from.

Heads answer requests, organizers approve bookings; both are found here together with
how to reach them (registered and reachable), for the bilateral service's notices.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.bilaterals import DelegationRef
from bot.domain.models import Delegate, Role
from bot.storage.database import Reader
from bot.storage.recipients import COLUMNS, Recipient, recipient


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
