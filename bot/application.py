"""Building the python-telegram-bot Application: services in, handlers on, lifecycle hooks."""

from __future__ import annotations

import logging

from telegram import BotCommand
from telegram.ext import ApplicationBuilder, ContextTypes
from telegram.request import HTTPXRequest

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import BotApplication, BotContext, BotData, Services
from bot.i18n import Catalogs
from bot.storage.database import Database
from bot.storage.people import PeopleStore
from bot.storage.programme import ProgrammeStore
from bot.views.general import DELEGATE_COMMANDS
from handlers import all_handlers
from handlers.errors import on_error

logger = logging.getLogger(__name__)

# Long polling holds one connection open; replies and pushes need the others.
CONNECTION_POOL = 64
POLL_TIMEOUT = 30


def build_application(settings: Settings, clock: Clock | None = None) -> BotApplication:
    """The bot, ready for `run_polling` (or `initialize`/`start` when embedded)."""
    token = settings.require_token()
    active_clock = clock or SystemClock()

    async def post_init(application: BotApplication) -> None:
        database = await Database.open(settings.storage.database)
        catalogs = Catalogs.load(settings.summit.timezone, settings.summit.default_language)
        application.bot_data.services = Services(
            settings=settings,
            database=database,
            programme=ProgrammeStore(database),
            people=PeopleStore(database),
            catalogs=catalogs,
            clock=active_clock,
        )
        await _set_commands(application, catalogs)
        logger.info("ready as @%s with %s", application.bot.username, settings.storage.database)

    async def post_shutdown(application: BotApplication) -> None:
        services = application.bot_data.services
        if services is not None:
            await services.database.close()

    application: BotApplication = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram.api_base_url)
        .base_file_url(settings.telegram.file_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .request(HTTPXRequest(connection_pool_size=CONNECTION_POOL))
        .get_updates_request(HTTPXRequest(read_timeout=POLL_TIMEOUT + 10))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.add_handlers(all_handlers())
    application.add_error_handler(on_error)
    return application


async def _set_commands(application: BotApplication, catalogs: Catalogs) -> None:
    """The command menu, in every language the bot speaks (and the default for the rest)."""
    for language in (None, *catalogs.languages):
        t = catalogs.get(language)
        commands = [BotCommand(name, t.gettext(text)) for name, text in DELEGATE_COMMANDS]
        await application.bot.set_my_commands(commands, language_code=language)
