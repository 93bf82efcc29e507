"""`summitbot`: run | import | invites | demo | bookings | ….

Every failure an operator can cause (bad config, unreadable file, a database that is not
SQLite or is locked) ends as one line on stderr naming the file, key or line and what to
do, and a non-zero exit: 2 for configuration and set-up problems, 1 for an import that
was rejected. Never a bare traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import getpass
import json
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from telegram import Bot, Update
from telegram.error import TelegramError

from bot import __version__
from bot.clock import SystemClock
from bot.config import ConfigError, Settings, config_path, load_settings
from bot.domain.invites import invite_link
from bot.health import check, report_lines
from bot.i18n import Catalogs
from bot.importing import import_files, read_files
from bot.logs import configure_logging
from bot.notices import NoticeSettings
from bot.programme_source import sync_once, url_problem
from bot.schedule_export import SCHEDULE_FORMATS, export_schedule
from bot.source_status import status_lines
from bot.storage import audit, sources
from bot.storage.database import Database, StorageError
from bot.storage.maintenance import backup, kept_secret
from bot.storage.people import PeopleStore
from bot.webhook import serve

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_SETUP = 2


class CommandError(Exception):
    """An operator-facing failure: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_SETUP) -> None:
        super().__init__(message)
        self.code = code


def _parser() -> argparse.ArgumentParser:
    config_help = "configuration file (default: $SUMMITBOT_CONFIG or ./config.toml)"
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", help=config_help)
    parser = argparse.ArgumentParser(
        prog="summitbot", description="Telegram assistant for summit delegates."
    )
    parser.add_argument("--version", action="version", version=f"summitbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser("run", parents=[common], help="run the bot until SIGINT/SIGTERM")
    importer = commands.add_parser(
        "import", parents=[common], help="import sessions, delegates and attendance files"
    )
    # str, not Path: Path("https://host/x") would fold the "//" of a URL.
    importer.add_argument("paths", nargs="+", metavar="PATH|URL")
    invites = commands.add_parser(
        "invites", parents=[common], help="print every delegate's invite code and link as CSV"
    )
    invites.add_argument(
        "--reissue",
        metavar="DELEGATE_ID",
        help="revoke this delegate's code and linked account (lost phone, forwarded link) "
        "and print a new code",
    )
    commands.add_parser(
        "demo", parents=[common], help="chat with the bot in the terminal, against the emulator"
    )
    backup_parser = commands.add_parser(
        "backup", parents=[common], help="copy the live database consistently to PATH"
    )
    backup_parser.add_argument("path", metavar="PATH", type=Path)
    commands.add_parser(
        "status",
        parents=[common],
        help="health from the database; exit 1 when delivery is stuck (for monitoring)",
    )
    audit_parser = commands.add_parser(
        "audit", parents=[common], help="print the organizers' changes, oldest first"
    )
    audit_parser.add_argument("--last", type=int, metavar="N", help="only the last N entries")
    _add_bookings_parser(commands, common)
    _add_export_parser(commands, common)
    return parser


def _add_bookings_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    bookings = commands.add_parser(
        "bookings", parents=[common], help="the bilateral room bookings as CSV"
    )
    bookings.add_argument("--date", metavar="YYYY-MM-DD", help="only the bookings of that day")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from bot.sandbox.demo import run_demo

            return run_demo(args.config)
        settings = load_settings(config_path(args.config))
        configure_logging(settings.logging, settings.telegram.token)
        if args.command == "run":
            return _run(settings)
        if args.command == "import":
            return asyncio.run(_import_paths_and_urls(settings, args.paths))
        if args.command == "export":
            return _write(asyncio.run(_export(settings, args.format, args.all)), args.path)
        if args.command == "invites":
            return asyncio.run(_invites(settings, args.reissue))
        if args.command == "audit":
            return asyncio.run(_audit(settings, args.last))
        if args.command == "backup":
            return asyncio.run(_backup(settings, args.path))
        if args.command == "status":
            return asyncio.run(_status(settings))
        if args.command == "bookings":
            return asyncio.run(_bookings(settings, args.date))
    except (ConfigError, StorageError) as exc:
        print(f"summitbot: {exc}", file=sys.stderr)
        return EXIT_SETUP
    except CommandError as exc:
        print(f"summitbot: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover


def _run(settings: Settings) -> int:
    from bot.application import build_application

    secret = None
    if settings.telegram.mode == "webhook":
        secret = settings.telegram.secret_token or asyncio.run(_webhook_secret(settings))
    application = build_application(settings)
    updates = [Update.MESSAGE, Update.CALLBACK_QUERY]
    try:
        if settings.telegram.mode == "webhook":
            webhook_url = settings.telegram.webhook_url
            assert webhook_url is not None
            # Telegram calls webhook_url (usually https via a reverse proxy); the bot's own
            # server listens on listen:port and serves the same path (bot.webhook).
            assert secret is not None
            asyncio.run(
                serve(
                    application,
                    listen=settings.telegram.listen,
                    port=settings.telegram.port,
                    webhook_url=webhook_url,
                    secret=secret,
                    allowed_updates=updates,
                )
            )
        else:
            # run_polling removes any webhook first, so switching back needs no manual step.
            application.run_polling(allowed_updates=updates)
    except TelegramError as exc:
        raise CommandError(
            f"{settings.telegram.api_base_url}: Telegram refused or could not be reached "
            f"({exc}) — check telegram.token and telegram.api_base_url in {settings.path}"
        ) from None
    return EXIT_OK


async def _webhook_secret(settings: Settings) -> str:
    """The secret Telegram must send with every update: generated once, then kept."""
    database = await Database.open(settings.storage.database)
    try:
        return await kept_secret(database, "webhook_secret_token")
    finally:
        await database.close()


async def _import(settings: Settings, paths: Sequence[Path]) -> int:
    sources, problems = read_files(paths)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("nothing was imported.", file=sys.stderr)
        return EXIT_REJECTED
    database = await Database.open(settings.storage.database)
    notices = NoticeSettings(
        Catalogs.load(settings.summit.timezone, settings.summit.default_language),
        settings.summit.discreet_notifications,
    )
    try:
        # A running bot notices this commit (PRAGMA data_version) and sends the notices.
        report = await import_files(
            database, sources, settings.summit.timezone, notices=notices, actor=_cli_actor()
        )
    finally:
        await database.close()
    stream = sys.stdout if report.ok else sys.stderr
    for line in report.summary_lines():
        print(line, file=stream)
    return EXIT_OK if report.ok else EXIT_REJECTED


async def _backup(settings: Settings, target: Path) -> int:
    result = await backup(settings.storage.database, target)
    print(f"{result.path}: {result.bytes:,} bytes, integrity {result.integrity}")
    return EXIT_OK


async def _status(settings: Settings) -> int:
    database = await Database.open(settings.storage.database)
    try:
        health = await check(
            database,
            Catalogs.load(settings.summit.timezone, settings.summit.default_language),
            settings.reminders.lead_minutes,
            timedelta(minutes=settings.delivery.stuck_after_minutes),
            SystemClock().now(),
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


async def _bookings(settings: Settings, day_text: str | None) -> int:
    """`summitbot bookings [--date YYYY-MM-DD]`: the bookings CSV on stdout."""
    from bot.bilaterals import BilateralService
    from bot.bookings_export import rows, write
    from bot.domain.agenda import day_bounds
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
        bookings = await service.between(start, end, SystemClock().now())
    finally:
        await database.close()
    write(sys.stdout, rows(bookings, zone))
    return EXIT_OK


def _cli_actor() -> str:
    return f"cli:{getpass.getuser()}"


async def _audit(settings: Settings, last: int | None) -> int:
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


async def _invites(settings: Settings, reissue: str | None) -> int:
    token = settings.require_token()
    username = await _bot_username(settings, token)
    database = await Database.open(settings.storage.database)
    try:
        people = PeopleStore(database)
        if reissue is not None and await people.reissue(reissue, SystemClock().now()) is None:
            raise CommandError(
                f"unknown delegate {reissue!r} — use an id from the delegates file", EXIT_REJECTED
            )
        rows = await people.ensure_invites(SystemClock().now())
    finally:
        await database.close()
    if reissue is not None:
        rows = [row for row in rows if row.delegate_id == reissue]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["delegate_id", "name", "code", "link"])
    for row in rows:
        link = invite_link(username, row.code) if row.code else ""
        writer.writerow([row.delegate_id, row.name, row.code or "", link])
    return EXIT_OK


async def _bot_username(settings: Settings, token: str) -> str:
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


# --- Programme sources and export (issue 16): `import URL`, `export` ----------------------


def _add_export_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    exporter = commands.add_parser(
        "export",
        parents=[common],
        help="write the programme as Frab XML or schedule JSON (stdout without PATH)",
    )
    exporter.add_argument("--format", required=True, choices=list(SCHEDULE_FORMATS))
    exporter.add_argument(
        "--all", action="store_true", help="every scheduled session, invited ones included"
    )
    exporter.add_argument("path", nargs="?", metavar="PATH", type=Path)


def _is_url(argument: str) -> bool:
    return "://" in argument


async def _import_paths_and_urls(settings: Settings, arguments: Sequence[str]) -> int:
    """Files are imported together, as before; each URL is fetched once and imported as
    its own schedule (its sessions remember the URL as their source)."""
    paths = [Path(a) for a in arguments if not _is_url(a)]
    urls = [a for a in arguments if _is_url(a)]
    for url in urls:
        problem = url_problem(url)
        if problem:
            raise CommandError(problem, EXIT_REJECTED)
    code = await _import(settings, paths) if paths else EXIT_OK
    for url in urls:
        code = max(code, await _import_url(settings, url))
    return code


async def _import_url(settings: Settings, url: str) -> int:
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
            SystemClock().now(),
            notices=notices,
            actor=_cli_actor(),
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


async def _export(settings: Settings, fmt: str, include_all: bool) -> str:
    database = await Database.open(settings.storage.database)
    try:
        text = await export_schedule(
            database,
            fmt,
            include_invited=include_all,
            summit_name=settings.summit.name,
            zone=settings.summit.timezone,
            now=SystemClock().now(),
        )
    finally:
        await database.close()
    return text


def _write(text: str, path: Path | None) -> int:
    if path is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{path}: cannot be written ({exc.strerror})") from None
    return EXIT_OK
