"""A real database filled the way the product fills it, for the storage tests: files
through the import path, delegates registered by redeeming their invite codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.invites import Redemption
from bot.services.imports import SourceFile, import_files
from bot.storage.database import Database
from bot.storage.people import PeopleStore


async def imported(path: Path, files: Mapping[str, bytes], venue: ZoneInfo) -> Database:
    """A fresh database at `path` holding `files` as `summitbot import` would leave it."""
    database = await Database.open(path)
    sources = [SourceFile(name, data) for name, data in files.items()]
    report = await import_files(database, sources, venue)
    assert report.ok, report.errors
    return database


async def register(
    database: Database, accounts: Iterable[tuple[int, str, str | None]], now: datetime
) -> dict[str, str | None]:
    """Link each (user id, delegate id, Telegram language) through its invite code.

    Returns every delegate's code, for tests that register more people later.
    """
    people = PeopleStore(database)
    codes = {row.delegate_id: row.code for row in await people.ensure_invites(now)}
    for user_id, delegate_id, telegram_language in accounts:
        code = codes[delegate_id]
        assert code is not None
        linked = await people.redeem(code, user_id, telegram_language, now)
        assert linked.outcome is Redemption.LINKED
    return codes
