"""What `summitbot status` and `summitbot check` read: outbox numbers, schema, integrity."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.reply import Reply
from bot.storage import health, maintenance
from bot.storage.database import Database
from bot.storage.migrations import MIGRATIONS
from bot.storage.outbox import Kind, Outgoing, enqueue


async def test_overdue_counts_only_what_is_due_and_not_sent(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "summit.db")
    try:
        async with database.transaction() as tx:
            await enqueue(tx, [Outgoing(1, Kind.CHANGE, Reply("now"))], 1000.0)
            await enqueue(tx, [Outgoing(2, Kind.REMINDER, Reply("later"), due_at=5000.0)], 1000.0)
        assert await health.overdue(database, 999.0) == (0, None)
        assert await health.overdue(database, 2000.0) == (1, 1000.0)
        assert await health.overdue(database, 6000.0) == (2, 1000.0)
        assert await health.outbox_states_since(database, 0.0) == {"waiting": 2}
        assert await health.outbox_states_since(database, 1001.0) == {}
        assert await health.registrations(database) == health.Registrations(0, 0, 0)
    finally:
        await database.close()


async def test_the_read_only_checks_see_schema_integrity_and_rooms(tmp_path: Path) -> None:
    path = tmp_path / "summit.db"
    database = await Database.open(path)  # creates and migrates it
    await database.close()
    connection = maintenance.open_read_only(path)
    try:
        assert maintenance.schema_version(connection) == len(MIGRATIONS)
        assert maintenance.integrity(connection) == ["ok"]
        assert maintenance.room_keys(connection) == set()
        assert maintenance.scheduled_rooms(connection) == []
        with pytest.raises(sqlite3.OperationalError):
            connection.execute("CREATE TABLE nope (x)")  # read-only: a check changes nothing
    finally:
        connection.close()


def test_opening_read_only_never_creates_the_file(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.Error):
        maintenance.open_read_only(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
