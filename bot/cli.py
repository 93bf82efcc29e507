"""`summitbot`: run | import | invites | demo | backup | status | audit | check | export | bookings.

Each subcommand is one `command(...)` line in `_parser`, with the function that carries it
out (`args.handler`); `--config` goes before or after the subcommand's name.

Every failure an operator can cause (bad config, unreadable file, a database that is not
SQLite or is locked) ends as one line on stderr naming the file, key or line and what to
do, and a non-zero exit: 2 for configuration and set-up problems, 1 for an import that
was rejected. Never a bare traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import platform
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from telegram import Bot, Update
from telegram.error import TelegramError

from bot import __version__
from bot.clock import SystemClock
from bot.config import ConfigError, Settings, config_path, load_settings
from bot.csv_output import SafeCsvWriter
from bot.domain.invites import invite_link
from bot.i18n import CatalogError, Catalogs
from bot.logs import configure_logging, protect_output
from bot.services.checks import run_checks
from bot.services.health import check, report_lines
from bot.services.imports import import_files, read_files
from bot.services.notices import NoticeSettings
from bot.services.programme_source import sync_once, url_problem
from bot.services.schedule_export import SCHEDULE_FORMATS, export_schedule
from bot.services.source_status import status_lines
from bot.storage import audit, sources
from bot.storage.database import Database, StorageError
from bot.storage.maintenance import backup, kept_secret
from bot.storage.people import PeopleStore
from bot.telegram.webhook import serve

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_SETUP = 2


class CommandError(Exception):
    """An operator-facing failure: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_SETUP) -> None:
        super().__init__(message)
        self.code = code


CONFIG_HELP = "configuration file (default: $SUMMITBOT_CONFIG, else ./config.toml)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summitbot", description="Telegram assistant for summit delegates."
    )
    parser.add_argument(
        "--version",
        action=_PrintVersion,
        help="print the versions of summitbot, python-telegram-bot, aiosqlite, Babel, SQLite",
    )
    parser.add_argument("--config", metavar="PATH", help=CONFIG_HELP)
    # `--config` is accepted after the subcommand too (`summitbot run --config c.toml`).
    # SUPPRESS keeps a subcommand without it from overwriting one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", help=CONFIG_HELP, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    command("run", lambda settings, args: _run(settings), "run the bot until SIGINT/SIGTERM")
    importer = command(
        "import",
        lambda settings, args: asyncio.run(_import_paths_and_urls(settings, args.paths)),
        "import sessions, delegates, attendance and rooms files, or a schedule URL",
    )
    # str, not Path: Path("https://host/x") would fold the "//" of a URL.
    importer.add_argument("paths", nargs="+", metavar="PATH|URL")
    invites = command(
        "invites",
        lambda settings, args: asyncio.run(_invites(settings, args.reissue)),
        "print every delegate's invite code and link as CSV",
    )
    invites.add_argument(
        "--reissue",
        metavar="DELEGATE_ID",
        help="revoke this delegate's code and linked account (lost phone, forwarded link) "
        "and print a new code",
    )
    # The demo writes its own configuration: it never loads one (see main).
    command("demo", _no_settings, "chat with the bot in the terminal, against the emulator")
    backup_parser = command(
        "backup",
        lambda settings, args: asyncio.run(_backup(settings, args.path)),
        "copy the live database consistently to PATH",
    )
    backup_parser.add_argument("path", metavar="PATH", type=Path)
    command(
        "status",
        lambda settings, args: asyncio.run(_status(settings)),
        "health from the database; exit 1 when delivery is stuck (for monitoring)",
    )
    audit_parser = command(
        "audit",
        lambda settings, args: asyncio.run(_audit(settings, args.last)),
        "print the organizers' changes, oldest first",
    )
    audit_parser.add_argument("--last", type=int, metavar="N", help="only the last N entries")
    exporter = command(
        "export",
        lambda settings, args: _write(
            asyncio.run(_export(settings, args.format, args.all)), args.path
        ),
        "write the programme as Frab XML or schedule JSON (stdout without PATH)",
    )
    exporter.add_argument("--format", required=True, choices=list(SCHEDULE_FORMATS))
    exporter.add_argument(
        "--all", action="store_true", help="every scheduled session, invited ones included"
    )
    exporter.add_argument("path", nargs="?", metavar="PATH", type=Path)
    bookings = command(
        "bookings",
        lambda settings, args: asyncio.run(_bookings(settings, args.date)),
        "the bilateral room bookings as CSV",
    )
    bookings.add_argument("--date", metavar="YYYY-MM-DD", help="only the bookings of that day")
    checker = command(
        "check",
        lambda settings, args: _check(settings, online=args.online),
        "validate the config, the database, the catalogs and the files the config names; "
        "exit 2 on any problem",
    )
    checker.add_argument(
        "--online", action="store_true", help="also try the token against the Bot API (getMe)"
    )
    return parser


Handler = Callable[[Settings, argparse.Namespace], int]


def _no_settings(settings: Settings, args: argparse.Namespace) -> int:  # pragma: no cover
    raise AssertionError("handled before the settings are loaded")


class _PrintVersion(argparse.Action):
    """argparse's own version action rewraps the text into one paragraph: one per line."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(version_text())
        parser.exit()


def version_text() -> str:
    """This version and those of the parts whose behaviour an operator may need to report."""
    parts = [f"summitbot {__version__}"]
    for distribution in ("python-telegram-bot", "aiosqlite", "Babel"):
        try:
            parts.append(f"{distribution} {metadata.version(distribution)}")
        except metadata.PackageNotFoundError:  # pragma: no cover - a broken installation
            parts.append(f"{distribution} not installed")
    parts.append(f"SQLite {sqlite3.sqlite_version}")
    parts.append(f"Python {platform.python_version()}")
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from bot.sandbox.demo import run_demo

            return run_demo(args.config)
        settings = load_settings(config_path(args.config))
        # Before anything can fail: exception texts may quote the token (InvalidToken).
        protect_output(settings.telegram.token)
        configure_logging(settings.logging, settings.telegram.token)
        handler: Handler = args.handler
        return handler(settings, args)
    except (ConfigError, StorageError, CatalogError) as exc:
        print(f"summitbot: {exc}", file=sys.stderr)
        return EXIT_SETUP
    except CommandError as exc:
        print(f"summitbot: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


def _check(settings: Settings, *, online: bool) -> int:
    findings = run_checks(settings, online=online)
    problems = [finding for finding in findings if finding.problem]
    for finding in findings:
        print(finding.text, file=sys.stderr if finding.problem else sys.stdout)
    if problems:
        print(f"summitbot check: {len(problems)} problem(s)", file=sys.stderr)
        return EXIT_SETUP
    print("summitbot check: all well")
    return EXIT_OK


def _run(settings: Settings) -> int:
    from bot.telegram.application import build_application

    # Every catalog complete before anything connects: a bot that would answer Persian
    # delegates in English must not start (bot/i18n.py).
    catalogs = Catalogs.load(settings.summit.timezone, settings.summit.default_language)
    secret = None
    if settings.telegram.mode == "webhook":
        secret = settings.telegram.secret_token or asyncio.run(_webhook_secret(settings))
    application = build_application(settings, catalogs=catalogs)
    updates = [Update.MESSAGE, Update.CALLBACK_QUERY]
    try:
        if settings.telegram.mode == "webhook":
            webhook_url = settings.telegram.webhook_url
            assert webhook_url is not None
            # Telegram calls webhook_url (usually https via a reverse proxy); the bot's own
            # server listens on listen:port and serves the same path (bot.telegram.webhook).
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
    writer = SafeCsvWriter(sys.stdout)
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
