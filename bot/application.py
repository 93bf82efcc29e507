"""Building the python-telegram-bot Application: services in, handlers on, lifecycle hooks.

Lifecycle: `post_init` opens the database, builds the services and starts delivery;
`post_stop` lets the delivery worker finish the messages in flight and leaves the rest
in the outbox; `post_shutdown` closes the database. `run_polling`/`run_webhook` call
these hooks; an embedded application (the demo, benchmarks) uses `start_embedded` and
`stop_embedded`, which call them in the same order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

from telegram import BotCommand
from telegram.ext import ApplicationBuilder, BaseRateLimiter, ContextTypes
from telegram.request import HTTPXRequest

from bot.broadcasting import ProgressMonitor
from bot.changes import ProgrammeEditor
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import BotApplication, BotContext, BotData, Services
from bot.delivery.broadcasts import BroadcastStore
from bot.delivery.governor import Governor
from bot.delivery.http import ShardedRequest
from bot.delivery.outbox import OutboxStore
from bot.delivery.worker import DeliveryWorker, in_flight_limit
from bot.i18n import Catalogs
from bot.importing import ImportReport, SourceFile, import_files
from bot.notices import NoticeSettings
from bot.reminders import Digests, Reminders
from bot.scheduling import Scheduler
from bot.storage import lost_replies
from bot.storage.database import Database
from bot.storage.people import PeopleStore
from bot.storage.programme import ProgrammeStore
from bot.updates import PerUserUpdateProcessor
from bot.views.general import DELEGATE_COMMANDS
from handlers import all_handlers, limits
from handlers.errors import on_error

logger = logging.getLogger(__name__)

# Connections for replies to delegates, beside those the delivery worker keeps busy.
REPLY_CONNECTIONS = 32
# Updates handled at once (each user's still one after another): enough to overlap the
# database and network waits of a coffee-break rush.
CONCURRENT_UPDATES = 32
POLL_TIMEOUT = 30


def build_application(
    settings: Settings,
    clock: Clock | None = None,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> BotApplication:
    """The bot, ready for `run_polling` (or `start_embedded`).

    `rate_limiter` replaces the governor, only for benchmarks that compare it with
    python-telegram-bot's stock limiter (the outbox worker then sends unpaced by it).
    """
    token = settings.require_token()
    active_clock = clock or SystemClock()
    pool = REPLY_CONNECTIONS + in_flight_limit(settings.delivery.messages_per_second)
    # Every Bot API call the application makes passes this one governor (see
    # docs/delivery.md): replies, button answers, edits, files and the outbox's pushes.
    governor = Governor(settings.delivery.messages_per_second)
    recording: set[asyncio.Task[None]] = set()

    async def post_init(application: BotApplication) -> None:
        database = await Database.open(settings.storage.database)

        def on_lost(method: str, reason: str) -> None:
            task = asyncio.create_task(lost_replies.record(database, time.time(), method, reason))
            recording.add(task)
            task.add_done_callback(recording.discard)

        governor.on_lost = on_lost
        catalogs = Catalogs.load(settings.summit.timezone, settings.summit.default_language)
        people = PeopleStore(database)
        outbox = OutboxStore(database)
        broadcasts = BroadcastStore(database)
        worker = DeliveryWorker(outbox, application.bot.send_message, governor)
        progress = ProgressMonitor(broadcasts, people, catalogs, application.bot.edit_message_text)
        programme = ProgrammeStore(database)
        summit = settings.summit
        notices = NoticeSettings(catalogs, summit.discreet_notifications)
        lead = settings.reminders.lead_minutes
        digest_time = settings.reminders.digest_time
        assert application.job_queue is not None
        scheduler = Scheduler(
            application.job_queue,
            database,
            Reminders(
                database,
                catalogs,
                lead,
                summit.discreet_notifications,
                settings.delivery.messages_per_second,
            ),
            Digests(database, catalogs, summit.timezone, summit.discreet_notifications),
            rate=settings.delivery.messages_per_second,
            digest_time=digest_time.replace(tzinfo=summit.timezone) if digest_time else None,
            clock=active_clock,
            wake_delivery=worker.wake,
        )

        async def importer(sources: Sequence[SourceFile], actor: str) -> ImportReport:
            return await import_files(
                database, sources, summit.timezone, notices=notices, actor=actor
            )

        application.bot_data.services = Services(
            settings=settings,
            database=database,
            programme=programme,
            people=people,
            catalogs=catalogs,
            clock=active_clock,
            outbox=outbox,
            broadcasts=broadcasts,
            worker=worker,
            progress=progress,
            editor=ProgrammeEditor(database, programme, notices),
            scheduler=scheduler,
            importer=importer,
        )
        await _set_commands(application, catalogs)
        await worker.start()
        progress.start()
        await scheduler.start()
        logger.info("ready as @%s with %s", application.bot.username, settings.storage.database)

    async def post_stop(application: BotApplication) -> None:
        services = application.bot_data.services
        if services is not None:
            await services.scheduler.stop()
            await services.progress.stop()
            await services.worker.stop()

    async def post_shutdown(application: BotApplication) -> None:
        services = application.bot_data.services
        if recording:
            await asyncio.gather(*recording, return_exceptions=True)
        if services is not None:
            await services.database.close()

    application: BotApplication = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram.api_base_url)
        .base_file_url(settings.telegram.file_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(PerUserUpdateProcessor(CONCURRENT_UPDATES))
        .request(ShardedRequest(pool))
        .rate_limiter(rate_limiter or governor)
        .get_updates_request(HTTPXRequest(read_timeout=POLL_TIMEOUT + 10))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    # Group -1 runs before every other handler; it stops oversized commands there.
    application.add_handlers(limits.handlers(), group=-1)
    application.add_handlers(all_handlers())
    application.add_error_handler(on_error)
    return application


async def start_embedded(application: BotApplication, poll_timeout: int = 10) -> None:
    """Start an application inside a running event loop, hooks included."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)


async def start_embedded_without_polling(application: BotApplication) -> None:
    """Start everything but the update source (webhook mode brings its own)."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()


async def stop_embedded(application: BotApplication) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    if application.post_stop:
        await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)


async def _set_commands(application: BotApplication, catalogs: Catalogs) -> None:
    """The command menu, in every language the bot speaks (and the default for the rest)."""
    for language in (None, *catalogs.languages):
        t = catalogs.get(language)
        commands = [BotCommand(name, t.gettext(text)) for name, text in DELEGATE_COMMANDS]
        await application.bot.set_my_commands(commands, language_code=language)
