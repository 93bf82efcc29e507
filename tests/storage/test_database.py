import sqlite3

import pytest

from bot.storage.database import Database, StorageError
from bot.storage.migrations import MIGRATIONS


async def test_migrates_an_empty_file_to_the_latest_schema(tmp_path):
    database = await Database.open(tmp_path / "new.db")
    try:
        assert await database.user_version() == len(MIGRATIONS)
        tables = {
            row[0]
            for row in await database.fetchall("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {"session", "delegate", "attendance", "invite", "telegram_user"} <= tables
        assert await database.fetchvalue("PRAGMA journal_mode") == "wal"
        assert await database.fetchvalue("PRAGMA foreign_keys") == 1
    finally:
        await database.close()


async def test_reopening_does_not_migrate_again(tmp_path):
    path = tmp_path / "summit.db"
    first = await Database.open(path)
    async with first.transaction() as tx:
        await tx.execute("INSERT INTO delegation (name) VALUES ('Xandria')")
    await first.close()
    second = await Database.open(path)
    try:
        assert await second.fetchvalue("SELECT COUNT(*) FROM delegation") == 1
    finally:
        await second.close()


async def test_transaction_rolls_back_on_error(tmp_path):
    database = await Database.open(tmp_path / "summit.db")
    try:
        with pytest.raises(RuntimeError):
            async with database.transaction() as tx:
                await tx.execute("INSERT INTO delegation (name) VALUES ('Xandria')")
                raise RuntimeError("boom")
        assert await database.fetchvalue("SELECT COUNT(*) FROM delegation") == 0
    finally:
        await database.close()


async def test_foreign_keys_are_enforced(tmp_path):
    database = await Database.open(tmp_path / "summit.db")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            async with database.transaction() as tx:
                await tx.execute(
                    "INSERT INTO attendance (delegate_id, session_id) VALUES ('nobody', 'nothing')"
                )
    finally:
        await database.close()


async def test_a_file_that_is_not_sqlite_is_one_clear_error(tmp_path):
    path = tmp_path / "summit.db"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(StorageError) as caught:
        await Database.open(path)
    assert str(caught.value).startswith(f"{path}: is not a SQLite database")
    assert "restore a backup" in str(caught.value)


async def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "summit.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    with pytest.raises(StorageError, match="newer summitbot"):
        await Database.open(path)


async def test_missing_folder_is_named(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        await Database.open(tmp_path / "no" / "such" / "summit.db")


async def test_a_transaction_cancelled_while_beginning_leaves_the_connection_usable(tmp_path):
    import asyncio

    database = await Database.open(tmp_path / "summit.db")
    try:
        for _ in range(20):

            async def write():
                async with database.transaction() as tx:
                    await tx.execute("INSERT INTO delegation (name) VALUES (hex(randomblob(8)))")

            task = asyncio.create_task(write())
            await asyncio.sleep(0)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        async with database.transaction() as tx:
            await tx.execute("INSERT INTO delegation (name) VALUES ('after')")
        assert (
            await database.fetchvalue("SELECT COUNT(*) FROM delegation WHERE name = 'after'") == 1
        )
    finally:
        await database.close()


async def test_rebuilding_the_delegate_table_keeps_every_child_row(tmp_path):
    """Migration 6 rebuilds `delegate`; attendance and accounts must survive it."""
    from bot.storage.database import Database as Db

    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:
        connection.executescript(script)
    connection.executescript(
        """
        INSERT INTO delegation (id, name) VALUES (1, 'Xandria');
        INSERT INTO delegate (id, name, delegation_id, role) VALUES ('d1', 'Ana', 1, 'organizer');
        INSERT INTO session (id, title, starts_at, ends_at, room, kind, audience, status)
             VALUES ('s1', 'Panel', 0, 60, 'Hall', 'panel', 'all', 'scheduled');
        INSERT INTO attendance (delegate_id, session_id) VALUES ('d1', 's1');
        PRAGMA user_version = 5;
        """
    )
    connection.commit()
    connection.close()
    database = await Db.open(path)
    try:
        assert await database.user_version() == len(MIGRATIONS)
        assert await database.fetchvalue("SELECT COUNT(*) FROM attendance") == 1
        assert await database.fetchvalue("SELECT role FROM delegate") == "organizer"
        async with database.transaction() as tx:
            await tx.execute("UPDATE delegate SET role = 'head'")
        assert await database.fetchvalue("PRAGMA foreign_keys") == 1
        # The children still point at the rebuilt table: deleting cascades as before.
        async with database.transaction() as tx:
            await tx.execute("DELETE FROM delegate")
        assert await database.fetchvalue("SELECT COUNT(*) FROM attendance") == 0
    finally:
        await database.close()
