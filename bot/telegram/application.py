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
from collections.abc import Sequence
from typing import Any

from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, BaseRateLimiter, ContextTypes, Defaults
from telegram.request import HTTPXRequest
from tornado.httpserver import HTTPServer

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.i18n import Catalogs
from bot.importers.report import ImportReport
from bot.services.bilaterals import BilateralService
from bot.services.broadcasts import ProgressMonitor
from bot.services.changes import ProgrammeEditor
from bot.services.imports import SourceFile, import_files
from bot.services.notices import NoticeSettings
from bot.services.programme_source import ProgrammeSync
from bot.services.reminders import Digests, Reminders
from bot.services.scheduling import JOB_OPTIONS, Scheduler
from bot.services.venue import Venue
from bot.storage import lost_replies
from bot.storage.broadcasts import BroadcastStore
from bot.storage.database import Database
from bot.storage.outbox import OutboxStore
from bot.storage.people import PeopleStore
from bot.storage.programme import ProgrammeStore
from bot.telegram.context import BotApplication, BotContext, BotData, Services
from bot.telegram.delivery_worker import DeliveryWorker, in_flight_limit
from bot.telegram.governor import Governor
from bot.telegram.http import ShardedRequest
from bot.telegram.updates import PerUserUpdateProcessor
from bot.views.help import DELEGATE_COMMANDS
from bot.webapp import menu_button
from bot.webapp.server import start_server
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
    catalogs: Catalogs | None = None,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> BotApplication:
    """The bot, ready for `run_polling` (or `start_embedded`); `catalogs` when the caller
    has already loaded (and so checked) them.

    `rate_limiter` replaces the governor, only for benchmarks that compare it with
    python-telegram-bot's stock limiter (the outbox worker then sends unpaced by it).
    """
    token = settings.require_token()
    active_clock = clock or SystemClock()
    pool = REPLY_CONNECTIONS + in_flight_limit(settings.delivery.messages_per_second)
    webapp_servers: list[HTTPServer] = []
    # Every Bot API call the application makes passes this one governor (see
    # docs/delivery.md): replies, button answers, edits, files and the outbox's pushes.
    # It paces on the system clock, not `clock`: it waits on the event loop's timers,
    # which a settable clock would not follow (its tests pair one with a virtual timer).
    governor = Governor(settings.delivery.messages_per_second)
    recording: set[asyncio.Task[None]] = set()

    async def post_init(application: BotApplication) -> None:
        database = await Database.open(settings.storage.database)

        def on_lost(method: str, reason: str) -> None:
            task = asyncio.create_task(
                lost_replies.record(database, active_clock.time(), method, reason)
            )
            recording.add(task)
            task.add_done_callback(recording.discard)

        governor.on_lost = on_lost
        loaded = catalogs or Catalogs.load(
            settings.summit.timezone, settings.summit.default_language
        )
        people = PeopleStore(database)
        outbox = OutboxStore(database)
        broadcasts = BroadcastStore(database)
        worker = DeliveryWorker(outbox, application.bot.send_message, governor)
        progress = ProgressMonitor(
            broadcasts, people, loaded, application.bot.edit_message_text, clock=active_clock
        )
        programme = ProgrammeStore(database)
        summit = settings.summit
        notices = NoticeSettings(loaded, summit.discreet_notifications)
        lead = settings.reminders.lead_minutes
        digest_time = settings.reminders.digest_time
        assert application.job_queue is not None
        scheduler = Scheduler(
            application.job_queue,
            database,
            Reminders(
                database,
                loaded,
                lead,
                summit.discreet_notifications,
                settings.delivery.messages_per_second,
                clock=active_clock,
            ),
            Digests(database, loaded, summit.timezone, summit.discreet_notifications, active_clock),
            rate=settings.delivery.messages_per_second,
            digest_time=digest_time.replace(tzinfo=summit.timezone) if digest_time else None,
            clock=active_clock,
            wake_delivery=worker.wake,
        )

        async def importer(sources: Sequence[SourceFile], actor: str) -> ImportReport:
            return await import_files(
                database, sources, summit.timezone, notices=notices, actor=actor, clock=active_clock
            )

        def programme_changed() -> None:
            scheduler.request_replan()
            worker.wake()

        source_url = settings.programme.source_url
        sync = (
            ProgrammeSync(
                database,
                source_url,
                settings.programme.poll_minutes,
                summit.timezone,
                notices,
                active_clock,
                programme_changed,
            )
            if source_url
            else None
        )
        application.bot_data.services = Services(
            settings=settings,
            database=database,
            programme=programme,
            people=people,
            catalogs=loaded,
            clock=active_clock,
            outbox=outbox,
            broadcasts=broadcasts,
            worker=worker,
            progress=progress,
            editor=ProgrammeEditor(database, programme, notices, active_clock),
            scheduler=scheduler,
            importer=importer,
            bilaterals=BilateralService(
                database, programme, settings.bilaterals, summit, loaded, notices, active_clock
            ),
            venue=Venue(database),
            source_sync=sync,
        )
        await _set_commands(application, loaded)
        if settings.webapp.url:
            await menu_button.set_menu_button(application.bot, loaded, settings.webapp.url)
            if settings.telegram.mode != "webhook":
                # Webhook mode serves the Mini App from its own server (bot.telegram.webhook).
                webapp_servers.append(
                    start_server(application.bot_data.services, token, settings.webapp)
                )
        await worker.start()
        progress.start()
        await scheduler.start()
        _arm_bilateral_sweep(application)
        if sync is not None:
            sync.start()
        logger.info("ready as @%s with %s", application.bot.username, settings.storage.database)

    async def post_stop(application: BotApplication) -> None:
        for server in webapp_servers:
            server.stop()
            await server.close_all_connections()
        webapp_servers.clear()
        services = application.bot_data.services
        if services is not None:
            if services.source_sync is not None:
                await services.source_sync.stop()
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
        # Every text the bot writes is HTML (views escape what they interpolate).
        .defaults(Defaults(parse_mode=ParseMode.HTML))
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
    application.add_handlers(all_handlers(active_clock))
    application.add_error_handler(on_error)
    return application


def _arm_bilateral_sweep(application: BotApplication) -> None:
    """Expire unanswered bilateral requests (and tell both sides) soon after their time.

    Searches never count an expired request anyway (they compare with the clock), so the
    sweep only has to be prompt enough for the notices: every quarter of the expiry time,
    between 2 and 60 seconds.
    """
    services = application.bot_data.services
    assert services is not None and application.job_queue is not None
    expiry_seconds = services.settings.bilaterals.request_expiry_hours * 3600
    interval = min(60.0, max(2.0, expiry_seconds / 4))

    async def sweep(context: object) -> None:
        del context
        if await services.bilaterals.sweep(services.clock.now()):
            services.worker.wake()

    application.job_queue.run_repeating(
        sweep, interval=interval, first=1.0, name="bilateral-expiry", job_kwargs=JOB_OPTIONS
    )


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
