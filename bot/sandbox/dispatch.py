"""Dispatch: every Bot API call goes through here, is routed to its method and recorded.

Method names are matched as the Bot API server matches them (case-insensitively); the
token is checked first (401), an unknown method is a 404, and an ``ApiError`` raised by
any check becomes Telegram's error body. Each call is recorded as a ``RequestRecord`` when
it arrives and again when it is answered, so tests can see what the bot asked and what it
got, and ``stats`` counts calls by method and failures by error code.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, replace

from bot.sandbox.args import JSON, Args, Handler, to_integer
from bot.sandbox.chats import Chats
from bot.sandbox.errors import ApiError
from bot.sandbox.updates import UpdateQueue

# RequestRecord.via: how a call reached the emulator.
VIA_API = "api"
VIA_WEBHOOK_RESPONSE = "webhook-response"


@dataclass(frozen=True)
class RequestRecord:
    """One Bot API call as the emulator saw and answered it.

    Calls are recorded on arrival with ``status`` 0 and updated when answered, so a
    getUpdates being held open shows up straight away. ``via`` is ``"api"`` for a request
    to the HTTP API and ``"webhook-response"`` for a method the bot returned in the body of
    its answer to a webhook request (Telegram runs it and tells the bot nothing).
    """

    method: str
    params: dict[str, str]
    status: int
    description: str | None
    time: float
    via: str = VIA_API


class Dispatcher:
    """The method table, and the record of every call."""

    def __init__(
        self, token: str, table: dict[str, Handler], chats: Chats, updates: UpdateQueue
    ) -> None:
        self.token = token
        self._methods = {name.lower(): (name, handler) for name, handler in table.items()}
        self._chats = chats
        self._updates = updates
        self.requests: list[RequestRecord] = []
        self.stats: Counter[str] = Counter()

    async def handle(
        self,
        token: str,
        method: str,
        args: Args,
        closed: asyncio.Future[None] | None = None,
        *,
        via: str = VIA_API,
    ) -> tuple[int, bytes]:
        """Runs one Bot API request; returns (HTTP status, JSON body)."""
        name, handler = self._methods.get(method.lower(), (method, None))
        self.stats[name] += 1
        arrival = self._arrived(name, args, via)
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found")
            if name == "getUpdates":
                # The one method that needs the connection: a client that hangs up ends
                # its long poll.
                result = await self._updates.get_updates(args, closed)
            else:
                result = await handler(args)
        except ApiError as error:
            return self._failed(arrival, args, error)
        self._answered(arrival, 200, None)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def reject(self, method: str, error: ApiError) -> tuple[int, bytes]:
        """Answers a request that could not even be read (e.g. bytes that are not UTF-8)."""
        self.stats[method] += 1
        args = Args({}, {})
        return self._failed(self._arrived(method, args), args, error)

    def _arrived(self, name: str, args: Args, via: str = VIA_API) -> tuple[int, RequestRecord]:
        """Records a call as it arrives (status 0), so a held long poll is visible at once."""
        record = RequestRecord(name, args.for_record(), 0, None, time.time(), via)
        self.requests.append(record)
        return len(self.requests) - 1, record

    def _answered(
        self, arrival: tuple[int, RequestRecord], status: int, description: str | None
    ) -> None:
        index, record = arrival
        final = replace(record, status=status, description=description)
        if index < len(self.requests) and self.requests[index] is record:
            self.requests[index] = final
        else:  # the list was cleared meanwhile
            self.requests.append(final)

    def _failed(
        self, arrival: tuple[int, RequestRecord], args: Args, error: ApiError
    ) -> tuple[int, bytes]:
        self.stats[str(error.code)] += 1
        self._answered(arrival, error.code, error.description)
        chat = self._chats.get(to_integer(args.arg("chat_id")))
        if chat is not None:
            chat.recent_errors.append(f"{arrival[1].method}: {error.code} {error.description}")
        body: JSON = {"ok": False, "error_code": error.code, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return error.code, json.dumps(body).encode()
