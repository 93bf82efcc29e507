"""The operator's look-ups and chores: backup, status, audit, invites, bookings."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

from bot.cli.errors import EXIT_OK, EXIT_REJECTED, CommandError
from bot.clock import Clock
from bot.config import Settings
from bot.csv_output import SafeCsvWriter
from bot.domain.invites import invite_link
from bot.i18n import Catalogs
from bot.services.health import check, report_lines
from bot.services.notices import NoticeSettings
from bot.services.source_status import status_lines
from bot.storage import audit, sources
from bot.storage.database import Database
from bot.storage.maintenance import backup
from bot.storage.people import PeopleStore


async def backup_to(settings: Settings, target: Path) -> int:
    result = await backup(settings.storage.database, target)
    print(f"{result.path}: {result.bytes:,} bytes, integrity {result.integrity}")
    return EXIT_OK


async def status(settings: Settings, clock: Clock) -> int:
    database = await Database.open(settings.storage.database)
    try:
        health = await check(
            database,
            Catalogs.load(settings.summit.timezone, settings.summit.default_language),
            settings.reminders.lead_minutes,
            timedelta(minutes=settings.delivery.stuck_after_minutes),
            clock.now(),
        )
        source_states = await sources.states(database)
    finally:
        await database.close()
    for line in report_lines(health, settings.summit.timezone):
        print(line)
    for line in status_lines(
        settings.programme.source_url, source_states, settings.summit.timezone
    ):
        print(line)
    return EXIT_REJECTED if health.stuck else EXIT_OK


async def audit_entries(settings: Settings, last: int | None) -> int:
    database = await Database.open(settings.storage.database)
    try:
        rows = await audit.entries(database, last)
    finally:
        await database.close()
    zone = settings.summit.timezone
    for entry in rows:
        when = entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
        print(f"{when}\t{entry.actor}\t{entry.action}\t{entry.target}\t{detail}")
    return EXIT_OK


async def invites(settings: Settings, reissue: str | None, clock: Clock) -> int:
    token = settings.require_token()
    username = await bot_username(settings, token)
    database = await Database.open(settings.storage.database)
    try:
        people = PeopleStore(database)
        if reissue is not None and await people.reissue(reissue, clock.now()) is None:
            raise CommandError(
                f"unknown delegate {reissue!r} — use an id from the delegates file", EXIT_REJECTED
            )
        rows = await people.ensure_invites(clock.now())
    finally:
        await database.close()
    if reissue is not None:
        rows = [row for row in rows if row.delegate_id == reissue]
    writer = SafeCsvWriter(sys.stdout)
    writer.writerow(["delegate_id", "name", "code", "link"])
    for row in rows:
        link = invite_link(username, row.code) if row.code else ""
        writer.writerow([row.delegate_id, row.name, row.code or "", link])
    return EXIT_OK


async def bot_username(settings: Settings, token: str) -> str:
    """The bot's @username, from getMe, for the invite links."""
    bot = Bot(
        token, base_url=settings.telegram.api_base_url, base_file_url=settings.telegram.file_url
    )
    try:
        async with bot:
            return bot.username
    except TelegramError as exc:
        raise CommandError(
            f"{settings.path}: telegram.token / telegram.api_base_url: getMe failed ({exc}) — "
            "check the token and that the Bot API is reachable"
        ) from None


async def bookings(settings: Settings, day_text: str | None, clock: Clock) -> int:
    """`summitbot bookings [--date YYYY-MM-DD]`: the bookings CSV on stdout."""
    from bot.domain.agenda import day_bounds
    from bot.services.bilaterals import BilateralService
    from bot.services.bookings_export import rows, write
    from bot.storage.programme import ProgrammeStore

    zone = settings.summit.timezone
    start = end = None
    if day_text is not None:
        try:
            start, end = day_bounds(date.fromisoformat(day_text), zone)
        except ValueError:
            raise CommandError(
                f"--date {day_text!r}: not a date — use YYYY-MM-DD", EXIT_REJECTED
            ) from None
    database = await Database.open(settings.storage.database)
    try:
        catalogs = Catalogs.load(zone, settings.summit.default_language)
        service = BilateralService(
            database,
            ProgrammeStore(database),
            settings.bilaterals,
            settings.summit,
            catalogs,
            NoticeSettings(catalogs, settings.summit.discreet_notifications),
        )
        bookings = await service.between(start, end, clock.now())
    finally:
        await database.close()
    write(sys.stdout, rows(bookings, zone))
    return EXIT_OK
