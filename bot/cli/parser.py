"""The `summitbot` command line: its parser, and `main`, which runs one subcommand.

Each subcommand is one `command(...)` line in `_parser`, with the function that carries it
out (`args.handler`, from `running`, `programme` or `operations`); `--config` goes before
or after the subcommand's name. The one clock every subcommand reads is made in `main`.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sqlite3
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from bot import __version__
from bot.cli import operations, programme, running
from bot.cli.errors import EXIT_SETUP, CommandError
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings, config_path, load_settings
from bot.i18n import CatalogError
from bot.logs import configure_logging, protect_output
from bot.services.schedule_export import SCHEDULE_FORMATS
from bot.storage.database import StorageError

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

    command(
        "run",
        lambda settings, args, clock: running.run(settings),
        "run the bot until SIGINT/SIGTERM",
    )
    importer = command(
        "import",
        lambda settings, args, clock: asyncio.run(
            programme.import_paths_and_urls(settings, args.paths, clock)
        ),
        "import sessions, delegates, attendance and rooms files, or a schedule URL",
    )
    # str, not Path: Path("https://host/x") would fold the "//" of a URL.
    importer.add_argument("paths", nargs="+", metavar="PATH|URL")
    invites = command(
        "invites",
        lambda settings, args, clock: asyncio.run(
            operations.invites(settings, args.reissue, clock)
        ),
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
        lambda settings, args, clock: asyncio.run(operations.backup_to(settings, args.path)),
        "copy the live database consistently to PATH",
    )
    backup_parser.add_argument("path", metavar="PATH", type=Path)
    command(
        "status",
        lambda settings, args, clock: asyncio.run(operations.status(settings, clock)),
        "health from the database; exit 1 when delivery is stuck (for monitoring)",
    )
    audit_parser = command(
        "audit",
        lambda settings, args, clock: asyncio.run(operations.audit_entries(settings, args.last)),
        "print the organizers' changes, oldest first",
    )
    audit_parser.add_argument("--last", type=int, metavar="N", help="only the last N entries")
    exporter = command(
        "export",
        lambda settings, args, clock: programme.write(
            asyncio.run(programme.export(settings, args.format, args.all, clock)), args.path
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
        lambda settings, args, clock: asyncio.run(operations.bookings(settings, args.date, clock)),
        "the bilateral room bookings as CSV",
    )
    bookings.add_argument("--date", metavar="YYYY-MM-DD", help="only the bookings of that day")
    checker = command(
        "check",
        lambda settings, args, clock: running.check(settings, online=args.online),
        "validate the config, the database, the catalogs and the files the config names; "
        "exit 2 on any problem",
    )
    checker.add_argument(
        "--online", action="store_true", help="also try the token against the Bot API (getMe)"
    )
    return parser


# A subcommand: the settings, its arguments, and the one clock of this run.
Handler = Callable[[Settings, argparse.Namespace, Clock], int]


def _no_settings(
    settings: Settings, args: argparse.Namespace, clock: Clock
) -> int:  # pragma: no cover
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
        return handler(settings, args, SystemClock())
    except (ConfigError, StorageError, CatalogError) as exc:
        print(f"summitbot: {exc}", file=sys.stderr)
        return EXIT_SETUP
    except CommandError as exc:
        print(f"summitbot: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
