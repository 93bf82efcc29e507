"""`summitbot check`: is this installation ready to run, before it runs?

A check is a function that takes the settings and yields `Finding`s: problems (one line
each, naming the file and key or line, and what to do) and notes (what is fine, or will
happen at the next start). `summitbot check` runs `CHECKS`, and `ONLINE_CHECKS` too with
`--online`, and exits 2 when any problem was found.

To add a check, write a function `(Settings) -> Iterator[Finding]` and append it to
`CHECKS` (or `ONLINE_CHECKS` when it needs the network). A check must not change
anything: the database is opened read-only, nothing is created or migrated.

The configuration itself was checked by loading it (`load_settings` stops at the first
mistake, with one line); the checks below begin from a configuration that loaded.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot import i18n
from bot.config import TOKEN_ENV, Settings
from bot.domain.rooms import room_key
from bot.storage import maintenance
from bot.storage.migrations import MIGRATIONS


@dataclass(frozen=True)
class Finding:
    text: str
    problem: bool


def problem(text: str) -> Finding:
    return Finding(text, problem=True)


def note(text: str) -> Finding:
    return Finding(text, problem=False)


Check = Callable[[Settings], Iterator[Finding]]


def check_token(settings: Settings) -> Iterator[Finding]:
    """`summitbot run` needs a token; everything else in the config was checked on load."""
    if not settings.telegram.token:
        yield problem(
            f"{settings.path}: telegram.token: missing — put the token from @BotFather "
            f"there, or set {TOKEN_ENV}"
        )
    else:
        yield note(f"{settings.path}: configuration loaded")


def check_database(settings: Settings) -> Iterator[Finding]:
    """The schema version against this code's, and SQLite's own integrity check."""
    path = settings.storage.database
    if not path.exists():
        yield from _missing_database(settings, path)
        return
    current = len(MIGRATIONS)
    try:
        connection = maintenance.open_read_only(path)
    except sqlite3.Error as exc:
        yield problem(f"{path}: cannot be opened ({exc}) — check permissions")
        return
    try:
        version = maintenance.schema_version(connection)
        integrity = maintenance.integrity(connection)
    except sqlite3.DatabaseError as exc:
        yield problem(
            f"{path}: is not a usable SQLite database ({exc}) — restore a backup, or point "
            f"storage.database in {settings.path} at a new file"
        )
        return
    finally:
        connection.close()
    if integrity != ["ok"]:
        detail = "; ".join(integrity[:3]) + (" …" if len(integrity) > 3 else "")
        yield problem(f"{path}: integrity_check failed: {detail} — restore a backup")
    if version > current:
        yield problem(
            f"{path}: schema version {version} is newer than this summitbot's ({current}) "
            "— install the summitbot that made it, or restore a backup"
        )
    elif version < current:
        yield note(
            f"{path}: schema version {version}; `summitbot run` migrates it to {current} at "
            "start-up (make a backup first: summitbot backup PATH)"
        )
    elif integrity == ["ok"]:
        yield note(f"{path}: schema version {version} (current), integrity ok")
    if not os.access(path.parent, os.W_OK) or not os.access(path, os.W_OK):
        yield problem(f"{path}: not writable by this user — check ownership and permissions")


def check_rooms(settings: Settings) -> Iterator[Finding]:
    """Sessions in rooms the rooms file does not know get no 📍 directions: name them.

    Quiet when no rooms file was imported (a summit may run without one) or when the
    database is not at this code's schema (check_database already said so)."""
    path = settings.storage.database
    if not path.exists():
        return
    try:
        connection = maintenance.open_read_only(path)
    except sqlite3.Error:
        return
    try:
        if maintenance.schema_version(connection) != len(MIGRATIONS):
            return
        known = maintenance.room_keys(connection)
        rooms = maintenance.scheduled_rooms(connection)
    except sqlite3.DatabaseError:
        return
    finally:
        connection.close()
    unknown = [room for room in rooms if room_key(room) not in known]
    if known and unknown:
        shown = ", ".join(repr(room) for room in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        yield problem(
            f"{path}: sessions are in rooms the rooms file does not know: {shown}{more} — "
            "add them to the rooms file or correct the sessions' room (they get no 📍 "
            "directions until then)"
        )


def _missing_database(settings: Settings, path: Path) -> Iterator[Finding]:
    folder = path.parent
    if not folder.is_dir():
        yield problem(
            f"{settings.path}: storage.database: the folder {folder} does not exist — create it"
        )
    elif not os.access(folder, os.W_OK):
        yield problem(
            f"{settings.path}: storage.database: cannot create {path}: the folder {folder} "
            "is not writable by this user — check ownership and permissions"
        )
    else:
        yield note(f"{path}: does not exist yet; `summitbot run` or `summitbot import` creates it")


def check_catalogs(settings: Settings) -> Iterator[Finding]:
    """Every language the bot offers has a complete catalog that compiles."""
    locales = i18n.LOCALES_DIR
    try:
        wanted = i18n.template_ids(locales)
    except i18n.CatalogError as exc:
        yield problem(str(exc))
        return
    good = []
    for language in i18n.SUPPORTED_LANGUAGES:
        try:
            i18n.load_catalog(locales, language, wanted)
        except i18n.CatalogError as exc:
            yield problem(str(exc))
        else:
            good.append(language)
    yield note(f"{locales}: catalogs complete for {' '.join(good)}")


def check_data_files(settings: Settings) -> Iterator[Finding]:
    """Every file the configuration names (a path-valued key) exists and can be read.

    The database has its own check; any other `Path` setting (a rooms file, a map) is
    found here by walking the settings, so a new one needs no new code.
    """
    for key, path in _referenced_files(settings):
        if not path.is_file():
            yield problem(f"{settings.path}: {key}: {path} does not exist — fix the path")
        elif not os.access(path, os.R_OK):
            yield problem(f"{settings.path}: {key}: {path} cannot be read — check permissions")


def _referenced_files(settings: Settings) -> Iterable[tuple[str, Path]]:
    for section in dataclasses.fields(settings):
        value = getattr(settings, section.name)
        if not dataclasses.is_dataclass(value):
            continue
        for item in dataclasses.fields(value):
            path = getattr(value, item.name)
            key = f"{section.name}.{item.name}"
            if isinstance(path, Path) and key != "storage.database":
                yield key, path


def check_telegram(settings: Settings) -> Iterator[Finding]:
    """The token against getMe at the configured Bot API."""
    token = settings.telegram.token
    if not token:
        return  # check_token has said so
    try:
        username = asyncio.run(_get_me(settings, token))
    except InvalidToken:
        # PTB's own message quotes the token: never print it.
        yield problem(
            f"{settings.path}: telegram.token: getMe failed (the Bot API at "
            f"{settings.telegram.api_base_url} rejected the token) — copy the token from "
            "@BotFather again"
        )
        return
    except TelegramError as exc:
        detail = str(exc).replace(token, "<token>")
        yield problem(
            f"{settings.path}: telegram.token / telegram.api_base_url: getMe failed ({detail}) "
            "— check the token and that the Bot API is reachable"
        )
        return
    yield note(f"{settings.telegram.api_base_url}: getMe answered: @{username}")


async def _get_me(settings: Settings, token: str) -> str:
    bot = Bot(
        token, base_url=settings.telegram.api_base_url, base_file_url=settings.telegram.file_url
    )
    async with bot:
        return bot.username


CHECKS: list[Check] = [
    check_token,
    check_database,
    check_rooms,
    check_catalogs,
    check_data_files,
]
ONLINE_CHECKS: list[Check] = [check_telegram]


def run_checks(settings: Settings, *, online: bool) -> list[Finding]:
    checks = CHECKS + (ONLINE_CHECKS if online else [])
    return [finding for check in checks for finding in check(settings)]
