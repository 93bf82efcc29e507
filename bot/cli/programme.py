"""`summitbot import` (files and schedule URLs) and `summitbot export`: the programme in and out."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli.errors import EXIT_OK, EXIT_REJECTED, CommandError
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Catalogs
from bot.services.imports import import_files, read_files
from bot.services.notices import NoticeSettings
from bot.services.programme_source import sync_once, url_problem
from bot.services.schedule_export import export_schedule
from bot.storage.database import Database


async def import_paths_and_urls(settings: Settings, arguments: Sequence[str], clock: Clock) -> int:
    """Files are imported together, as before; each URL is fetched once and imported as
    its own schedule (its sessions remember the URL as their source)."""
    paths = [Path(a) for a in arguments if not is_url(a)]
    urls = [a for a in arguments if is_url(a)]
    for url in urls:
        problem = url_problem(url)
        if problem:
            raise CommandError(problem, EXIT_REJECTED)
    code = await import_files_once(settings, paths) if paths else EXIT_OK
    for url in urls:
        code = max(code, await import_url(settings, url, clock))
    return code


async def import_files_once(settings: Settings, paths: Sequence[Path]) -> int:
    sources, problems = read_files(paths)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("nothing was imported.", file=sys.stderr)
        return EXIT_REJECTED
    # Catalogs first: a CatalogError after opening would leave aiosqlite's thread (and so
    # the process) running.
    notices = NoticeSettings(
        Catalogs.load(settings.summit.timezone, settings.summit.default_language),
        settings.summit.discreet_notifications,
    )
    database = await Database.open(settings.storage.database)
    try:
        # A running bot notices this commit (PRAGMA data_version) and sends the notices.
        report = await import_files(
            database, sources, settings.summit.timezone, notices=notices, actor=cli_actor()
        )
    finally:
        await database.close()
    stream = sys.stdout if report.ok else sys.stderr
    for line in report.summary_lines():
        print(line, file=stream)
    return EXIT_OK if report.ok else EXIT_REJECTED


async def import_url(settings: Settings, url: str, clock: Clock) -> int:
    database = await Database.open(settings.storage.database)
    notices = NoticeSettings(
        Catalogs.load(settings.summit.timezone, settings.summit.default_language),
        settings.summit.discreet_notifications,
    )
    try:
        outcome = await sync_once(
            database,
            url,
            settings.summit.timezone,
            clock.now(),
            notices=notices,
            actor=cli_actor(),
            conditional=False,
        )
    finally:
        await database.close()
    if outcome.report is not None:
        stream = sys.stdout if outcome.report.ok else sys.stderr
        for line in outcome.report.summary_lines():
            print(line, file=stream)
    elif outcome.error:
        print(f"{url}: {outcome.error} — nothing was imported.", file=sys.stderr)
    return EXIT_OK if outcome.ok else EXIT_REJECTED


def is_url(argument: str) -> bool:
    return "://" in argument


def cli_actor() -> str:
    return f"cli:{getpass.getuser()}"


async def export(settings: Settings, fmt: str, include_all: bool, clock: Clock) -> str:
    database = await Database.open(settings.storage.database)
    try:
        text = await export_schedule(
            database,
            fmt,
            include_invited=include_all,
            summit_name=settings.summit.name,
            zone=settings.summit.timezone,
            now=clock.now(),
        )
    finally:
        await database.close()
    return text


def write(text: str, path: Path | None) -> int:
    if path is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{path}: cannot be written ({exc.strerror})") from None
    return EXIT_OK
