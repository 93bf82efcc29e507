"""Services stamp what they write with the injected clock, never the system's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import SettableClock
from bot.domain.changes import Applied
from bot.i18n import Catalogs
from bot.services.changes import ProgrammeEditor
from bot.services.imports import SourceFile, import_files
from bot.services.notices import NoticeSettings
from bot.storage import audit
from bot.storage.database import Database
from bot.storage.programme import ProgrammeStore
from tests.support.summit_files import VENUE, summit_files

NOW = datetime(2030, 6, 1, tzinfo=UTC)
# Far from the real time, so a stamp taken from the system clock would show.
LATER = datetime(2031, 1, 1, 12, 0, tzinfo=UTC)


async def test_an_import_and_a_change_are_stamped_by_the_injected_clock(tmp_path: Path) -> None:
    clock = SettableClock(LATER)
    database = await Database.open(tmp_path / "summit.db")
    try:
        files = [SourceFile(name, data) for name, data in summit_files(NOW).items()]
        assert (await import_files(database, files, VENUE, clock=clock)).ok
        notices = NoticeSettings(Catalogs.load(VENUE, "en"), discreet=True)
        editor = ProgrammeEditor(database, ProgrammeStore(database), notices, clock)
        clock.advance(timedelta(minutes=5))
        assert isinstance(await editor.move("cyber", "Room Z", "organizer", NOW), Applied)
        stamps = [entry.at for entry in await audit.entries(database)]
        assert stamps == [LATER, LATER + timedelta(minutes=5)]
    finally:
        await database.close()
