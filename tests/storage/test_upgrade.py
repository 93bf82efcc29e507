"""Upgrading over a running summit: a database of the previous release migrates intact.

`tests/data/summitbot-0.1.0.sql` is a database made by the previous release (schema
version 4) with a summit imported, two registered accounts and a reminder waiting. The
current code opens it as `summitbot run` does after an upgrade (docs/operations.md,
"Upgrade"): every migration since is applied and nothing the old release kept is lost.
"""

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage.database import Database
from bot.storage.migrations import MIGRATIONS
from bot.storage.outbox import OutboxStore
from bot.storage.people import PeopleStore
from tests.support.bot_process import write_config

PREVIOUS_RELEASE = Path(__file__).resolve().parents[1] / "data" / "summitbot-0.1.0.sql"
PREVIOUS_SCHEMA = 4


def tables(connection):
    """Every row of every table, by table; each table's columns in the old release's order."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: columns(connection, name) for name in names}


def columns(connection, table):
    return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]


def rows(connection, table, names):
    listed = ", ".join(names)
    return sorted(map(tuple, connection.execute(f"SELECT {listed} FROM {table}")), key=repr)


@pytest.fixture
def old_database(tmp_path):
    path = tmp_path / "summit.db"
    connection = sqlite3.connect(path)
    connection.executescript(PREVIOUS_RELEASE.read_text(encoding="utf-8"))
    connection.close()
    return path


async def test_previous_release_database_migrates_with_its_data_intact(tmp_path, old_database):
    before = sqlite3.connect(old_database)
    assert before.execute("PRAGMA user_version").fetchone()[0] == PREVIOUS_SCHEMA
    schema = tables(before)
    data = {table: rows(before, table, names) for table, names in schema.items()}
    before.close()
    assert sum(map(len, data.values())) >= 38, "the fixture holds a real summit"

    database = await Database.open(old_database)
    try:
        assert await database.user_version() == len(MIGRATIONS)
        people = PeopleStore(database)
        alice = await people.account(1001)
        assert alice is not None and alice.delegate is not None
        assert (alice.delegate.id, alice.reminder_lead) == ("alice", 30)
        yara = await people.account(1002)
        assert yara is not None and yara.language == "ar"
        assert (await OutboxStore(database).counts()).get("waiting") == 1
    finally:
        await database.close()

    after = sqlite3.connect(old_database)
    assert after.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert after.execute("PRAGMA foreign_key_check").fetchall() == []
    for table, names in schema.items():
        assert set(names) <= set(columns(after, table)), f"{table}: columns lost"
        assert rows(after, table, names) == data[table], f"{table}: rows changed"
    after.close()


def test_check_says_the_old_database_will_be_migrated_then_that_it_is_current(
    tmp_path, old_database, capsys
):
    config = write_config(tmp_path, "http://127.0.0.1:9/bot")
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    if len(MIGRATIONS) > PREVIOUS_SCHEMA:
        assert f"schema version {PREVIOUS_SCHEMA}; `summitbot run` migrates it" in out
    else:  # no migration since the previous release (yet)
        assert f"schema version {PREVIOUS_SCHEMA} (current)" in out
    # Any command that opens the database migrates it, as the bot's start-up does.
    assert main(["audit", "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["check", "--config", str(config)]) == 0
    assert f"schema version {len(MIGRATIONS)} (current), integrity ok" in capsys.readouterr().out
