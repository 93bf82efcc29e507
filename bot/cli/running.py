"""`summitbot run` and `summitbot check`: start the bot, or say whether it could start."""

from __future__ import annotations

import asyncio
import sys

from telegram import Update
from telegram.error import TelegramError

from bot.cli.errors import EXIT_OK, EXIT_SETUP, CommandError
from bot.config import Settings
from bot.i18n import Catalogs
from bot.services.checks import run_checks
from bot.storage.database import Database
from bot.storage.maintenance import kept_secret
from bot.telegram.webhook import serve


def check(settings: Settings, *, online: bool) -> int:
    findings = run_checks(settings, online=online)
    problems = [finding for finding in findings if finding.problem]
    for finding in findings:
        print(finding.text, file=sys.stderr if finding.problem else sys.stdout)
    if problems:
        print(f"summitbot check: {len(problems)} problem(s)", file=sys.stderr)
        return EXIT_SETUP
    print("summitbot check: all well")
    return EXIT_OK


def run(settings: Settings) -> int:
    from bot.telegram.application import build_application

    # Every catalog complete before anything connects: a bot that would answer Persian
    # delegates in English must not start (bot/i18n.py).
    catalogs = Catalogs.load(settings.summit.timezone, settings.summit.default_language)
    secret = None
    if settings.telegram.mode == "webhook":
        secret = settings.telegram.secret_token or asyncio.run(webhook_secret(settings))
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


async def webhook_secret(settings: Settings) -> str:
    """The secret Telegram must send with every update: generated once, then kept."""
    database = await Database.open(settings.storage.database)
    try:
        return await kept_secret(database, "webhook_secret_token")
    finally:
        await database.close()
