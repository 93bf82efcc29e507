"""The update queue and getUpdates: how what users do reaches the bot.

Updates wait in one queue, numbered in order, until the bot confirms them: by calling
getUpdates with a higher ``offset``, or, once a webhook is set, by answering its delivery
(``bot.sandbox.webhooks`` then takes every new update; a webhook may confirm updates out
of order, which ``acknowledge`` keeps track of). Long polling holds a getUpdates open
until an update arrives; a newer getUpdates, a setWebhook or the emulator stopping ends it
early, and the first two answer it with Telegram's 409 Conflict.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.sandbox.args import JSON, Args, Handler
from bot.sandbox.errors import ApiError

LONG_POLL_MAX_TIMEOUT = 50
CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
# Telegram sends these only to bots that ask for them in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class _Poller:
    """The getUpdates request currently held open, and why it was woken."""

    wake: asyncio.Future[str]


class UpdateQueue:
    """Updates not yet confirmed by the bot, oldest first, and the long poll waiting on them."""

    def __init__(self) -> None:
        self.pending: deque[JSON] = deque()
        self._next_update_id = 1
        self.allowed: frozenset[str] | None = None
        self._poller: _Poller | None = None
        self._acknowledged: set[int] = set()  # delivered by webhook, not yet at the front
        self.webhook_active = False
        """A webhook is set: getUpdates is refused (even while delivery is not running)."""
        self.sink: Callable[[JSON], None] | None = None
        """Where new updates go while a webhook delivers them (instead of waking a poll)."""

    def table(self) -> dict[str, Handler]:
        # The dispatcher calls get_updates itself, handing it the connection.
        return {"getUpdates": self._get_updates_unconnected}

    async def _get_updates_unconnected(self, args: Args) -> list[JSON]:
        return await self.get_updates(args, None)

    def enqueue(self, kind: str, payload: JSON) -> None:
        allowed = self.allowed
        if (kind in OPT_IN_UPDATES) if allowed is None else (kind not in allowed):
            return
        update = {"update_id": self._next_update_id, kind: payload}
        self.pending.append(update)
        self._next_update_id += 1
        if self.sink is not None:
            self.sink(update)
        else:
            self.wake_poller("update")

    def wake_poller(self, reason: str) -> None:
        if self._poller is not None and not self._poller.wake.done():
            self._poller.wake.set_result(reason)

    @staticmethod
    def allowed_updates(args: Args) -> Any:
        """The allowed_updates parameter, parsed (None when absent)."""
        return args.json_arg("allowed_updates", "Can't parse allowed_updates JSON object")

    def restrict(self, allowed: Any) -> None:
        """Applies a parsed allowed_updates: a list replaces the setting, [] resets it."""
        if isinstance(allowed, list):
            self.allowed = frozenset(str(a) for a in allowed) or None

    @property
    def pending_count(self) -> int:
        """Updates queued and not yet confirmed by the bot (by getUpdates or webhook)."""
        return len(self.pending) - len(self._acknowledged)

    def drop(self) -> None:
        self.pending.clear()
        self._acknowledged.clear()

    # -------------------------------------------------------------- confirmed by webhook

    def unacknowledged(self) -> Iterator[JSON]:
        acknowledged = self._acknowledged
        return (u for u in self.pending if u["update_id"] not in acknowledged)

    def acknowledge(self, update_id: int) -> None:
        """A webhook delivery was answered: the update leaves the queue once all before it
        have, so the queue stays one contiguous run of update ids."""
        updates = self.pending
        if updates and updates[0]["update_id"] == update_id:
            updates.popleft()
            acknowledged = self._acknowledged
            while acknowledged and updates and updates[0]["update_id"] in acknowledged:
                acknowledged.discard(updates.popleft()["update_id"])
        elif updates and update_id > updates[0]["update_id"]:
            self._acknowledged.add(update_id)

    def forget_acknowledged(self) -> None:
        """Delivery stopped: the updates it confirmed out of order leave the queue now."""
        if self._acknowledged:
            acknowledged = self._acknowledged
            self.pending = deque(u for u in self.pending if u["update_id"] not in acknowledged)
            acknowledged.clear()

    # -------------------------------------------------------------- getUpdates

    def _confirm(self, offset: int) -> None:
        updates = self.pending
        if offset > 0:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        elif offset < 0:
            while len(updates) > -offset:
                updates.popleft()

    async def get_updates(self, args: Args, closed: asyncio.Future[None] | None) -> list[JSON]:
        """Long polling; a newer getUpdates terminates an older one with 409, as Telegram does."""
        if self.webhook_active:
            raise ApiError(409, CONFLICT_WEBHOOK)
        self._confirm(args.int_arg("offset"))
        limit = args.int_arg("limit", 100, 1, 100)
        timeout = args.int_arg("timeout", 0, 0, LONG_POLL_MAX_TIMEOUT)
        self.restrict(self.allowed_updates(args))
        self.wake_poller("conflict")
        if not self.pending and timeout > 0:
            reason = await self._hold(timeout, closed)
            if reason == "conflict":
                raise ApiError(409, CONFLICT_OTHER_POLL)
            if reason == "webhook":
                raise ApiError(409, CONFLICT_WEBHOOK)
        return list(itertools.islice(self.pending, limit))

    async def _hold(self, timeout: int, closed: asyncio.Future[None] | None) -> str:
        poller = _Poller(asyncio.get_running_loop().create_future())
        self._poller = poller
        waiting: set[asyncio.Future[Any]] = {poller.wake}
        if closed is not None:
            waiting.add(closed)
        try:
            await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if self._poller is poller:
                self._poller = None
        return poller.wake.result() if poller.wake.done() else "timeout"
