"""What the bot knows about each programme source URL: its validators and its last outcome.

Kept in the database, not in memory, so that `summitbot status` (another process) and an
organizer's `/stats` show the same thing, and a restarted bot still sends `If-None-Match`.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from bot.domain.sources import SourceState
from bot.storage.database import Database
from bot.storage.rows import from_row


def _moment(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _state(row: sqlite3.Row) -> SourceState:
    return from_row(
        SourceState,
        row,
        checked_at=_moment(row["checked_at"]),
        success_at=_moment(row["success_at"]),
        error_at=_moment(row["error_at"]),
    )


async def state(database: Database, url: str) -> SourceState:
    row = await database.fetchone("SELECT * FROM programme_source WHERE url = ?", (url,))
    return _state(row) if row is not None else SourceState(url)


async def states(database: Database) -> list[SourceState]:
    rows = await database.fetchall("SELECT * FROM programme_source ORDER BY url")
    return [_state(row) for row in rows]


async def record_success(
    database: Database, url: str, at: datetime, etag: str | None, last_modified: str | None
) -> None:
    """A fetch that was applied (or 304: unchanged). Validators are kept when not given."""
    async with database.transaction() as tx:
        await tx.execute(
            """INSERT INTO programme_source (url, etag, last_modified, checked_at, success_at)
               VALUES (?, COALESCE(?, ''), COALESCE(?, ''), ?, ?)
               ON CONFLICT (url) DO UPDATE SET
                   etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),
                   checked_at = excluded.checked_at, success_at = excluded.success_at,
                   error = ''""",
            (url, etag, last_modified, at.timestamp(), at.timestamp(), etag, last_modified),
        )


async def record_error(database: Database, url: str, at: datetime, error: str) -> None:
    """A failed fetch or a rejected file: the last good programme stays; the error is shown.

    The validators are cleared, so the next poll fetches the file again in full instead of
    being told "not modified" about a file that was never applied."""
    async with database.transaction() as tx:
        await tx.execute(
            """INSERT INTO programme_source (url, checked_at, error_at, error)
               VALUES (?, ?, ?, ?)
               ON CONFLICT (url) DO UPDATE SET checked_at = excluded.checked_at,
                   error_at = excluded.error_at, error = excluded.error,
                   etag = '', last_modified = ''""",
            (url, at.timestamp(), at.timestamp(), error),
        )
