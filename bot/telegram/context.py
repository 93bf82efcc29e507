"""Typed services for handlers, instead of string-keyed `bot_data` lookups."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.domain.models import Delegate, Role
from bot.i18n import Catalogs, Translator, negotiate
from bot.importers.report import ImportReport
from bot.services.bilaterals import BilateralService
from bot.services.broadcasts import ProgressMonitor
from bot.services.changes import ProgrammeEditor
from bot.services.imports import SourceFile
from bot.services.programme_source import ProgrammeSync
from bot.services.scheduling import Scheduler
from bot.services.venue import Venue
from bot.storage.broadcasts import BroadcastStore
from bot.storage.database import Database
from bot.storage.outbox import OutboxStore
from bot.storage.people import Account, PeopleStore
from bot.storage.programme import ProgrammeStore
from bot.telegram.delivery_worker import DeliveryWorker
from bot.telegram.governor import Push


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    database: Database
    programme: ProgrammeStore
    people: PeopleStore
    catalogs: Catalogs
    clock: Clock
    outbox: OutboxStore
    broadcasts: BroadcastStore
    worker: DeliveryWorker
    progress: ProgressMonitor
    editor: ProgrammeEditor
    scheduler: Scheduler
    importer: Importer
    bilaterals: BilateralService
    venue: Venue
    source_sync: ProgrammeSync | None = None
    """Polls `[programme] source_url`; None when no source is configured."""


Importer = Callable[[Sequence[SourceFile], str], Awaitable[ImportReport]]
"""Import files as `summitbot import` does (notices included), on behalf of an actor."""


class BotData:
    """Application-wide state: the services, set once in post_init."""

    services: Services | None = None


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who sent this update, in which language to answer, and what they may do."""

    user_id: int
    account: Account | None
    t: Translator
    organizer: bool

    @property
    def delegate(self) -> Delegate | None:
        return self.account.delegate if self.account else None

    def registered(self) -> RegisteredViewer | None:
        """The same viewer with their delegate record made certain, if they have one."""
        if self.account is None or self.account.delegate is None:
            return None
        return RegisteredViewer(
            self.user_id, self.account, self.t, self.organizer, self.account.delegate
        )


@dataclass(frozen=True, slots=True)
class RegisteredViewer:
    """A viewer who is a registered delegate: what `@registered` handlers receive.

    Its own type (not a Viewer with a promise) so that mypy, not an `assert`, says the
    delegate is there.
    """

    user_id: int
    account: Account
    t: Translator
    organizer: bool
    delegate: Delegate


class BotContext(
    CallbackContext[ExtBot[Push], dict[object, object], dict[object, object], BotData]
):
    """PTB's context with the bot's services attached."""

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:  # pragma: no cover - post_init always runs first
            raise RuntimeError("services are not ready: post_init has not run")
        return services

    async def viewer(self, update: Update) -> Viewer:
        """Look up the sender once per update; unknown users get a guest Viewer."""
        services = self.services
        user = update.effective_user
        if user is None:
            return await viewer_for(services, None, None)
        viewer = await viewer_for(services, user.id, user.language_code)
        if viewer.account is not None and not viewer.account.reachable:
            # Writing to the bot again lifts a block: deliver to them again.
            await services.people.mark_reachable(user.id)
        return viewer


async def viewer_for(services: Services, user_id: int | None, live_code: str | None) -> Viewer:
    """The Viewer for a Telegram user (chat or Mini App): one rule for rights and language."""
    account = await services.people.account(user_id) if user_id is not None else None
    delegate = account.delegate if account else None
    default = services.settings.summit.default_language
    language = (
        account.preferred_language(default, live_code)
        if account
        else negotiate(live_code, default=default)
    )
    organizer = user_id in services.settings.summit.organizers or (
        delegate is not None and delegate.role is Role.ORGANIZER
    )
    return Viewer(user_id or 0, account, services.catalogs.get(language), organizer)


BotApplication = Application[ExtBot[Push], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
