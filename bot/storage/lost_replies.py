"""Replies the governor finally could not send: when, which call, and why (never the text).

Written by the running bot, read by /stats and `summitbot status` (another process).
"""

from __future__ import annotations

from bot.storage.database import Database


async def record(database: Database, at: float, method: str, reason: str) -> None:
    async with database.transaction() as tx:
        await tx.execute(
            "INSERT INTO lost_reply (at, method, reason) VALUES (?, ?, ?)",
            (at, method, reason[:200]),
        )


async def count(database: Database, since: float = 0.0) -> int:
    return int(await database.fetchvalue("SELECT COUNT(*) FROM lost_reply WHERE at >= ?", (since,)))
