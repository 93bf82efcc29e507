"""`summitbot`: run | import | invites | demo.

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
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from telegram import Bot, Update
from telegram.error import TelegramError

from bot import __version__
from bot.clock import SystemClock
from bot.config import ConfigError, Settings, config_path, load_settings
from bot.csv_output import SafeCsvWriter
from bot.domain.invites import invite_link
from bot.health import check, report_lines
from bot.i18n import Catalogs
from bot.importing import import_files, read_files
from bot.logs import configure_logging, protect_output
from bot.notices import NoticeSettings
from bot.storage import audit
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
    importer.add_argument("paths", nargs="+", metavar="PATH", type=Path)
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
    return parser


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
        if args.command == "run":
            return _run(settings)
        if args.command == "import":
            return asyncio.run(_import(settings, args.paths))
        if args.command == "invites":
            return asyncio.run(_invites(settings, args.reissue))
        if args.command == "audit":
            return asyncio.run(_audit(settings, args.last))
        if args.command == "backup":
            return asyncio.run(_backup(settings, args.path))
        if args.command == "status":
            return asyncio.run(_status(settings))
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
    finally:
        await database.close()
    for line in report_lines(health, settings.summit.timezone):
        print(line)
    return EXIT_REJECTED if health.stuck else EXIT_OK


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
