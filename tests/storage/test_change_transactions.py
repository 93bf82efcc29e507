"""Read-modify-write of the programme happens inside one write transaction (issue 14, #3).

The interleavings are forced: both changes are started together on a real SQLite file, so
the second reads before the first writes if anything reads outside the transaction.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.changes import Applied, Refusal
from bot.domain.models import SessionStatus
from bot.i18n import Catalogs
from bot.services.changes import ProgrammeEditor
from bot.services.imports import SourceFile, import_files
from bot.services.notices import NoticeSettings
from bot.services.reminders import Digests
from bot.storage.database import Database
from bot.storage.programme import ProgrammeStore
from tests.support.summit_files import DAY1, DAY2, SESSIONS_HEADER, VENUE, at, summit_files, to_csv

NOW = datetime(2030, 6, 1, tzinfo=UTC)


async def open_summit(path: Path) -> Database:
    database = await Database.open(path)
    files = summit_files(NOW)
    report = await import_files(
        database, [SourceFile(name, data) for name, data in files.items()], VENUE
    )
    assert report.ok, report.errors
    return database


def editor_for(database: Database) -> ProgrammeEditor:
    notices = NoticeSettings(Catalogs.load(VENUE, "en"), discreet=True)
    return ProgrammeEditor(database, ProgrammeStore(database), notices)


async def test_cancel_and_move_at_the_same_moment_both_hold(tmp_path):
    database = await open_summit(tmp_path / "summit.db")
    try:
        editor = editor_for(database)
        cancelled, moved = await asyncio.gather(
            editor.cancel("cyber", "a", NOW), editor.move("cyber", "Room Z", "b", NOW)
        )
        session = await ProgrammeStore(database).get("cyber")
        assert session is not None
        # The move saw the cancellation: the session stays cancelled, where it was, and
        # the organizer who moved it is told why nothing happened.
        assert isinstance(cancelled, Applied)
        assert moved is Refusal.CANCELLED
        assert (session.status, session.room) == (SessionStatus.CANCELLED, "Room A")
    finally:
        await database.close()


async def test_a_move_and_a_reschedule_at_the_same_moment_both_hold(tmp_path):
    database = await open_summit(tmp_path / "summit.db")
    try:
        editor = editor_for(database)
        start = datetime(2030, 6, 10, 15, 0, tzinfo=VENUE)
        await asyncio.gather(
            editor.move("cyber", "Room Z", "a", NOW),
            editor.reschedule("cyber", start, None, "b", NOW),
        )
        session = await ProgrammeStore(database).get("cyber")
        assert session is not None
        assert session.room == "Room Z" and session.start == start
    finally:
        await database.close()


async def test_an_import_interleaved_with_a_move_is_not_undone(tmp_path):
    bot_db = await open_summit(tmp_path / "summit.db")
    cli_db = await Database.open(tmp_path / "summit.db")
    try:
        editor = editor_for(bot_db)
        row = ["cyber", "Retitled", at(DAY2, "09:00"), at(DAY2, "10:00"), "Room A"]
        row += ["Cyber", "panel", "", "", ""]
        file = SourceFile("s.csv", to_csv([SESSIONS_HEADER, row]))
        await asyncio.gather(
            editor.move("cyber", "Room Z", "a", NOW), import_files(cli_db, [file], VENUE)
        )
        session = await ProgrammeStore(bot_db).get("cyber")
        assert session is not None
        # The import states the room in full, so it may win the room; the time it set
        # must survive whatever order the two committed in.
        assert session.start == datetime(2030, 6, 11, 9, 0, tzinfo=VENUE)
        assert session.title == "Retitled"
    finally:
        await cli_db.close()
        await bot_db.close()


async def test_the_digest_lists_a_session_still_running_after_midnight(tmp_path):
    database = await open_summit(tmp_path / "summit.db")
    try:
        row = ["gala", "Gala dinner", at(DAY1, "22:00"), at(DAY2, "01:30"), "Terrace"]
        rows = [["id", "title", "start", "end", "room"], row]
        files = [
            SourceFile("gala.csv", to_csv(rows)),
            SourceFile("who.csv", to_csv([["delegate_id", "session_id"], ["alice", "gala"]])),
        ]
        assert (await import_files(database, files, VENUE)).ok
        async with database.transaction() as tx:
            await tx.execute("INSERT INTO telegram_user (user_id, delegate_id) VALUES (1, 'alice')")
        digests = Digests(database, Catalogs.load(VENUE, "en"), VENUE, discreet=True)
        assert await digests.send_for_day(DAY2) == 1
        texts = [row["text"] for row in await database.fetchall("SELECT text FROM outbox")]
        assert any("Gala dinner" in text for text in texts), texts
    finally:
        await database.close()
