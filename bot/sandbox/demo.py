"""`summitbot demo`: the real bot, a demo summit, the emulator, and a terminal chat.

Nothing here is a stand-in: the demo imports its CSV files through the same code as
`summitbot import`, creates invite codes like `summitbot invites`, and runs the same
Application as `summitbot run`, talking HTTP to the emulator on 127.0.0.1. Only the
database lives in a temporary folder, so a demo never touches a real summit's data.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.config import (
    LoggingSettings,
    Settings,
    StorageSettings,
    SummitSettings,
    TelegramSettings,
    config_path,
    load_settings,
)
from bot.i18n import Catalogs
from bot.logs import configure_logging
from bot.sandbox.demo_summit import DemoSummit, build_demo_summit
from bot.sandbox.demo_venue import write_demo_venue
from bot.sandbox.emulator import RateLimits, TelegramEmulator
from bot.sandbox.terminal import TerminalPersona, run_terminal_chat
from bot.services.imports import SourceFile, import_files
from bot.storage.database import Database
from bot.storage.people import PeopleStore
from bot.telegram.application import build_application, start_embedded, stop_embedded

DEMO_TOKEN = "123456:DEMO-token-of-the-emulator"  # noqa: S105 - the emulator's, not Telegram's
DEMO_SUMMIT = SummitSettings(
    name="Defense & Security Summit 2026 (demo)", timezone=ZoneInfo("Asia/Riyadh")
)


def run_demo(config_argument: str | None) -> int:
    base = _base_settings(config_argument)
    # As `summitbot run`: an unusable catalog stops the demo with one line (CatalogError),
    # before the emulator and the terminal chat start.
    Catalogs.load(base.summit.timezone, base.summit.default_language)
    try:
        asyncio.run(_demo(base))
    except KeyboardInterrupt:
        return 130
    return 0


def _base_settings(config_argument: str | None) -> Settings:
    """The operator's summit settings if a config file is there, else the demo's own."""
    path = config_path(config_argument)
    if config_argument is None and not path.exists():
        return Settings(path=path, telegram=TelegramSettings(token=None), summit=DEMO_SUMMIT)
    return load_settings(path)


async def _demo(base: Settings) -> None:
    with tempfile.TemporaryDirectory(prefix="summitbot-demo-") as folder:
        directory = Path(folder)
        today = datetime.now(base.summit.timezone).date()
        summit = build_demo_summit(today, name=base.summit.name)
        organizers = tuple(p.telegram_user_id for p in summit.personas if p.organizer)
        async with TelegramEmulator(
            token=DEMO_TOKEN,
            bot_username="SummitDemoBot",
            rate_limits=RateLimits(global_per_second=30),
        ) as emulator:
            settings = replace(
                base,
                telegram=TelegramSettings(
                    token=DEMO_TOKEN,
                    api_base_url=emulator.api_base_url,
                    api_file_url=emulator.api_file_url,
                ),
                storage=StorageSettings(directory / "demo.db"),
                summit=replace(base.summit, organizers=base.summit.organizers + organizers),
                logging=LoggingSettings(level="INFO"),
            )
            with (directory / "bot.log").open("w", encoding="utf-8") as log:
                configure_logging(settings.logging, DEMO_TOKEN, stream=log)
                codes = await _load(settings, summit, directory)
                await _chat(settings, emulator, summit, codes)


async def _load(settings: Settings, summit: DemoSummit, directory: Path) -> dict[str, str]:
    """Import the demo files and create invite codes, as an operator would."""
    database = await Database.open(settings.storage.database)
    try:
        sources = [SourceFile(name, data) for name, data in summit.files.items()]
        sources.append(_venue_source(directory))
        report = await import_files(database, sources, settings.summit.timezone)
        if not report.ok:  # pragma: no cover - the demo files are tested to import cleanly
            raise RuntimeError("demo files did not import: " + "; ".join(report.summary_lines()))
        invites = await PeopleStore(database).ensure_invites(SystemClock().now())
    finally:
        await database.close()
    return {row.delegate_id: row.code or "" for row in invites}


async def _chat(
    settings: Settings, emulator: TelegramEmulator, summit: DemoSummit, codes: dict[str, str]
) -> None:
    application = build_application(settings)
    await start_embedded(application)
    try:
        personas = await _personas(emulator, summit, codes)
        await run_terminal_chat(personas)
    finally:
        await stop_embedded(application)


async def _personas(
    emulator: TelegramEmulator, summit: DemoSummit, codes: dict[str, str]
) -> list[TerminalPersona]:
    """Register the demo's people with their invite codes, and one guest who has not yet."""
    personas: list[TerminalPersona] = []
    labels = {False: ["delegate", "other"], True: ["organizer"]}
    for persona in summit.personas:
        options = labels[persona.organizer]
        label = options.pop(0) if options else f"p{persona.telegram_user_id}"
        user = emulator.user(
            persona.telegram_user_id,
            first_name=persona.name.split()[-1],
            language_code=persona.language,
        )
        await user.send(f"/start {codes[persona.delegate_id]}")
        await user.reply(timeout=10)
        role = "organizer" if persona.organizer else "delegate"
        personas.append(
            TerminalPersona(label, user, f"{persona.name}, {role}, {persona.delegation}")
        )
    spare = next(
        (code for delegate, code in codes.items() if code and delegate not in _ids(summit)), None
    )
    guest = emulator.user(7_000_001, first_name="Guest", language_code="en")
    hint = f"not registered yet — try /start {spare}" if spare else "not registered"
    personas.append(TerminalPersona("guest", guest, hint))
    return personas


def _venue_source(directory: Path) -> SourceFile:
    """The demo venue's rooms file, written with its floor plans next to the database."""
    path = write_demo_venue(directory / "venue")
    return SourceFile(str(path), path.read_bytes(), path.parent)


def _ids(summit: DemoSummit) -> set[str]:
    return {persona.delegate_id for persona in summit.personas}
