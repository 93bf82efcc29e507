"""One long-lived SQLite connection, set up the way the bot relies on.

WAL lets `summitbot import`, `summitbot status` and backups read and write beside the
running bot. Writes always start with `BEGIN IMMEDIATE`: a deferred transaction that
later upgrades to a write fails with SQLITE_BUSY at once, whatever the busy timeout,
while an immediate one waits its turn. An asyncio lock keeps the bot's own coroutines
from interleaving statements inside each other's transactions on the shared connection.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from bot.storage.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5_000

Params = Sequence[Any] | dict[str, Any]


class Reader(Protocol):
    """Anything that answers queries: the Database itself, or an open Transaction."""

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None: ...


class StorageError(Exception):
    """A database problem, worded for the operator (names the file and what to do)."""


class Database:
    """The bot's SQLite database: reads anywhere, writes inside `transaction()`."""

    def __init__(self, path: Path, connection: aiosqlite.Connection) -> None:
        self.path = path
        self._connection = connection
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, *, migrate: bool = True) -> Database:
        """Open (creating if needed), configure and migrate the database at `path`."""
        try:
            if path.parent and not path.parent.exists():
                raise StorageError(f"{path}: the folder {path.parent} does not exist — create it")
            connection = await aiosqlite.connect(path, isolation_level=None)
            connection.row_factory = sqlite3.Row
        except sqlite3.Error as exc:
            raise StorageError(f"{path}: cannot open the database ({exc})") from None
        database = cls(path, connection)
        try:
            await database._configure()
            if migrate:
                await database._migrate()
        except BaseException:
            await connection.close()
            raise
        return database

    async def close(self) -> None:
        await self._connection.close()

    async def _configure(self) -> None:
        try:
            await self._connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await self._connection.execute("PRAGMA foreign_keys = ON")
            await self._connection.execute("PRAGMA journal_mode = WAL")
            # NORMAL is durable across application crashes in WAL mode; only an OS crash
            # or power loss can drop the last transactions, which FULL would fsync for.
            await self._connection.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise _explain(self.path, exc) from None

    async def _migrate(self) -> None:
        version = await self.user_version()
        if version > len(MIGRATIONS):
            raise StorageError(
                f"{self.path}: made by a newer summitbot (schema {version}, this one knows "
                f"{len(MIGRATIONS)}) — upgrade summitbot or restore a backup"
            )
        if version == len(MIGRATIONS):
            return
        # Foreign keys off while the schema changes (a rebuilt table must not cascade its
        # children away), checked in each migration's transaction before it commits.
        await self._connection.execute("PRAGMA foreign_keys = OFF")
        try:
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                async with self.transaction() as tx:
                    await tx.executescript_in_transaction(script)
                    broken = await tx.fetchall("PRAGMA foreign_key_check")
                    if broken:
                        raise StorageError(
                            f"{self.path}: migration {number} would break "
                            f"{len(broken)} references — restore a backup and report this"
                        )
                    await tx.execute(f"PRAGMA user_version = {number}")
        finally:
            await self._connection.execute("PRAGMA foreign_keys = ON")

    async def user_version(self) -> int:
        try:
            row = await self.fetchone("PRAGMA user_version")
        except sqlite3.DatabaseError as exc:
            raise _explain(self.path, exc) from None
        return int(row[0]) if row else 0

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # One trip to aiosqlite's thread instead of three (execute, fetch, close): this is
        # on the path of every update.
        return list(await self._connection.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self._connection.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchvalue(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A write transaction: committed on success, rolled back on any exception."""
        async with self._write_lock:
            try:
                await self._boundary("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _explain(self.path, exc) from None
            try:
                yield Transaction(self._connection)
            except BaseException:
                await self._boundary("ROLLBACK")
                raise
            else:
                await self._boundary("COMMIT")

    async def _boundary(self, statement: str) -> None:
        """BEGIN, COMMIT or ROLLBACK, carried through even if the awaiting task is cancelled.

        aiosqlite runs the statement on its own thread; cancelling the await does not
        stop it. A cancelled BEGIN would otherwise leave the shared connection inside a
        transaction nobody owns, and every later BEGIN would fail.
        """
        step = asyncio.ensure_future(self._connection.execute(statement))
        try:
            await asyncio.shield(step)
        except asyncio.CancelledError:
            await step
            if statement.startswith("BEGIN"):
                await self._connection.execute("ROLLBACK")
            raise

    async def data_version(self) -> int:
        """Rises when another connection commits; lets the bot notice outside imports."""
        return int(await self.fetchvalue("PRAGMA data_version"))


class Transaction:
    """Statements inside one write transaction."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        async with self._connection.execute(sql, params) as cursor:
            return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT; returns the new rowid."""
        async with self._connection.execute(sql, params) as cursor:
            return cursor.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._connection.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._connection.execute(sql, params) as cursor:
            rows = await cursor.fetchall()
        return list(rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._connection.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def executescript_in_transaction(self, script: str) -> None:
        # sqlite3's executescript() COMMITs first; run the statements one by one instead
        # so that a migration and its user_version bump commit together.
        for statement in _split_statements(script):
            await self._connection.execute(statement)


def _split_statements(script: str) -> list[str]:
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _explain(path: Path, exc: sqlite3.DatabaseError) -> StorageError:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return StorageError(
            f"{path}: is not a SQLite database of summitbot ({text}) — point "
            "storage.database at a new file, or restore a backup"
        )
    if "locked" in text or "busy" in text:
        return StorageError(
            f"{path}: the database is locked by another program ({text}) — wait for it "
            "to finish (an import or backup?) and try again"
        )
    if "readonly" in text or "unable to open" in text:
        return StorageError(f"{path}: cannot write the database ({text}) — check permissions")
    return StorageError(f"{path}: database error ({text})")
