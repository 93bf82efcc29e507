"""Sending a confirmed broadcast, and keeping the organizer's progress message current.

The progress message is edited at most every PROGRESS_EVERY seconds, only when its text
changed (Telegram rejects an edit that changes nothing), and each edit takes its turn
from the governor like every other call (after replies and urgent notices and changes,
before the broadcast's own messages).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.clock import Clock, SystemClock
from bot.domain.broadcasts import Broadcast, parse_command
from bot.i18n import Catalogs, Translator
from bot.reply import Reply
from bot.storage.broadcasts import BroadcastStore
from bot.storage.outbox import Kind, Outgoing
from bot.storage.people import PeopleStore
from bot.storage.recipients import Recipient
from bot.telegram.governor import Priority, Push
from bot.telegram.sending import markup
from bot.views import broadcast as views

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 3.0
PROGRESS = Push(Priority.REMINDER)

EditMessage = Callable[..., Awaitable[object]]


def render_announcements(
    catalogs: Catalogs, broadcast: Broadcast, recipients: Sequence[Recipient]
) -> list[Outgoing]:
    """One message per recipient in their language; each language's text is built once."""
    by_language: dict[str, Reply] = {}
    kind = Kind.URGENT if broadcast.urgent else Kind.BROADCAST
    messages = []
    for recipient in recipients:
        language = recipient.language(catalogs.default)
        if language not in by_language:
            by_language[language] = views.announcement(
                catalogs.get(language),
                broadcast.text,
                urgent=broadcast.urgent,
                broadcast_id=broadcast.id,
            )
        messages.append(
            Outgoing(
                chat_id=recipient.user_id,
                kind=kind,
                reply=by_language[language],
                delegate_id=recipient.delegate_id,
                broadcast_id=broadcast.id,
            )
        )
    return messages


class ProgressMonitor:
    """Edits every active broadcast's progress message until its delivery is over."""

    def __init__(
        self,
        broadcasts: BroadcastStore,
        people: PeopleStore,
        catalogs: Catalogs,
        edit_message: EditMessage,
        every: float = PROGRESS_EVERY,
        clock: Clock | None = None,
    ) -> None:
        self.broadcasts = broadcasts
        self.people = people
        self.catalogs = catalogs
        self.edit_message = edit_message
        self.every = every
        self.clock = clock or SystemClock()
        self._shown: dict[int, str] = {}
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="broadcast-progress")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def shown(self, broadcast_id: int, text: str) -> None:
        """The handler already showed this text; the monitor must not repeat it."""
        self._shown[broadcast_id] = text

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.update_all()
            except Exception:
                logger.exception("could not update broadcast progress; will try again")

    async def update_all(self) -> None:
        for broadcast in await self.broadcasts.active():
            await self._update(broadcast)

    async def translator_for(self, user_id: int) -> Translator:
        account = await self.people.account(user_id)
        default = self.catalogs.default
        return self.catalogs.get(account.preferred_language(default) if account else default)

    async def _update(self, broadcast: Broadcast) -> None:
        state = await self.broadcasts.progress(broadcast)
        audience, _ = parse_command(broadcast.audience)
        if audience is None or broadcast.progress_chat is None:
            return
        t = await self.translator_for(broadcast.organizer_id)
        reply = views.progress(t, audience, state, urgent=broadcast.urgent)
        if self._shown.get(broadcast.id) != reply.text and broadcast.progress_message:
            try:
                await self.edit_message(
                    chat_id=broadcast.progress_chat,
                    message_id=broadcast.progress_message,
                    text=reply.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup(reply),
                    rate_limit_args=PROGRESS,
                )
                self._shown[broadcast.id] = reply.text
            except BadRequest as exc:
                logger.warning("progress message of broadcast %d: %s", broadcast.id, exc)
                self._shown[broadcast.id] = reply.text
            except TelegramError as exc:
                logger.info("progress edit postponed: %s", exc)
                return
        if state.finished and not broadcast.urgent:
            await self.broadcasts.finish(broadcast.id, self.clock.time())
            self._shown.pop(broadcast.id, None)
        elif state.finished and broadcast.urgent:
            # Urgent notices stay active while acknowledgements keep arriving (a day).
            await self._finish_urgent_after_a_day(broadcast)

    async def _finish_urgent_after_a_day(self, broadcast: Broadcast) -> None:
        confirmed = await self.broadcasts.confirmed_at(broadcast.id)
        moment = self.clock.time()
        if confirmed is not None and moment - confirmed > 24 * 3600:
            await self.broadcasts.finish(broadcast.id, moment)
            self._shown.pop(broadcast.id, None)
