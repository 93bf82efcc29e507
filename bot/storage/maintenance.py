"""Operator tasks on the database: consistent backups, checks, and kept settings.

The checks (`summitbot check`) open the file read-only with the standard library's
sqlite3: they must not create, migrate or lock anything, and run before the bot does.
"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.storage.database import Database, StorageError


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    bytes: int
    integrity: str


def _copy(source: Path, target: Path) -> BackupResult:
    # SQLite's online backup API: a consistent snapshot even while the bot writes (WAL
    # readers do not block writers); the copy is checked before it is called a backup.
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            integrity = str(dst.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            dst.close()
    finally:
        src.close()
    return BackupResult(target, target.stat().st_size, integrity)


async def backup(source: Path, target: Path) -> BackupResult:
    """Copy the live database to `target` (which must not exist yet), checked."""
    return await asyncio.to_thread(_backup, source, target)


def _backup(source: Path, target: Path) -> BackupResult:
    if not source.exists():
        raise StorageError(f"{source}: no database to back up — check storage.database")
    if target.exists():
        raise StorageError(f"{target}: already exists — choose a new file name")
    if not target.parent.exists():
        raise StorageError(f"{target.parent}: the folder does not exist — create it first")
    try:
        result = _copy(source, target)
    except sqlite3.DatabaseError as exc:
        target.unlink(missing_ok=True)
        raise StorageError(f"{source}: backup failed ({exc})") from None
    if result.integrity != "ok":
        raise StorageError(f"{target}: the copy failed its integrity check ({result.integrity})")
    return result


async def kept_secret(database: Database, key: str) -> str:
    """A random secret generated once and kept, e.g. the webhook's secret token."""
    async with database.transaction() as tx:
        row = await tx.fetchone("SELECT value FROM setting WHERE key = ?", (key,))
        if row is not None:
            return str(row[0])
        value = secrets.token_urlsafe(32)
        await tx.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (key, value))
        return value


def open_read_only(path: Path) -> sqlite3.Connection:
    """The database at `path` opened read-only (never created); sqlite3.Error if it cannot."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def integrity(connection: sqlite3.Connection) -> list[str]:
    """SQLite's own integrity check: ["ok"], or the problems it found."""
    return [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]


def room_keys(connection: sqlite3.Connection) -> set[str]:
    """The keys of the rooms file's rooms."""
    return {str(row[0]) for row in connection.execute("SELECT key FROM room")}


def scheduled_rooms(connection: sqlite3.Connection) -> list[str]:
    """The rooms scheduled sessions name, as written, sorted."""
    return [
        str(row[0])
        for row in connection.execute(
            "SELECT DISTINCT room FROM session WHERE status = 'scheduled' ORDER BY room"
        )
    ]
