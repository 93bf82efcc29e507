"""setWebhook, deleteWebhook and getWebhookInfo, and the bookkeeping of webhook delivery.

While a webhook is set (and the emulator listening), every update goes to a
``WebhookSender`` (``bot.sandbox.webhook_sender``, the HTTP client that POSTs them with
Telegram's ordering and retries); this module starts and stops it, takes an update off
the queue when its delivery is answered, keeps getWebhookInfo's last error, and runs a
method call the bot returned in the body of its answer, as Telegram does (telling the bot
nothing). The counters in ``deliveries`` let tests wait for any of that.

Unlike Telegram without ``--local``, plain http and any port are accepted, and the host is
not resolved by setWebhook: a wrong one shows up in last_error_message.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from bot.sandbox.args import JSON, Args, Handler, response_args
from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.updates import UpdateQueue
from bot.sandbox.webhook_sender import WebhookPolicy, WebhookResponse, WebhookSender

log = logging.getLogger(__name__)

# Telegram does not run these when a bot returns them in a webhook response
# (WebhookActor::handle), nor any method whose name starts with "get".
NOT_FROM_WEBHOOK_RESPONSE = frozenset({"setwebhook", "deletewebhook", "close", "logout"})
# Response bodies the Bot API server reads parameters from.
FORM_CONTENT_TYPES = (
    "application/json", "application/x-www-form-urlencoded", "multipart/form-data"
)  # fmt: skip
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]*")
MAX_SECRET_TOKEN_LENGTH = 256
DELIVERY_COUNTERS = ("delivered", "failed", "replies", "reply_errors", "ignored_replies")

# Runs a method returned in a webhook response; gives the HTTP status it was answered with.
RunReply = Callable[[str, Args], Awaitable[int]]


def valid_webhook_url(url: str) -> bool:
    """An http(s) URL with a host and, if given, a port from 1 to 65535."""
    if not re.match(r"https?://[^/\s]+", url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return bool(parts.hostname) and port != 0


class Webhooks:
    """The webhook that is set, its delivery, and what became of each attempt."""

    def __init__(
        self,
        updates: UpdateQueue,
        policy: Callable[[], WebhookPolicy],
        listening: Callable[[], bool],
        run_reply: RunReply,
    ) -> None:
        self._updates = updates
        self._policy = policy
        self._listening = listening
        self._run = run_reply
        self._webhook: JSON | None = None
        self._sender: WebhookSender | None = None
        self._error: tuple[int, str] | None = None
        self._deliveries: Counter[str] = Counter()
        self._deliveries_changed = asyncio.Event()
        self._reply_tasks: set[asyncio.Task[None]] = set()

    def table(self) -> dict[str, Handler]:
        return {
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
        }

    # -------------------------------------------------------------- lifecycle

    def resume(self) -> None:
        """The emulator started listening: deliver to a webhook set before it did."""
        if self._webhook is not None and self._sender is None:
            self._start_sender()

    async def close(self) -> None:
        """Stops delivery and the method calls from responses still running."""
        await self._stop_sender()
        replies = list(self._reply_tasks)
        for task in replies:
            task.cancel()
        await asyncio.gather(*replies, return_exceptions=True)

    def drop_pending(self) -> None:
        self._updates.drop()
        if self._sender is not None:
            self._sender.clear()

    def _start_sender(self) -> None:
        """Starts delivering every pending update to the webhook, oldest first."""
        assert self._webhook is not None
        sender = WebhookSender(
            self._webhook["url"],
            self._webhook["secret_token"],
            self._webhook["max_connections"],
            self._policy(),
            self._delivered,
            self._failed,
        )
        self._sender = sender
        self._updates.sink = lambda update: self._push(sender, update)
        for update in self._updates.unacknowledged():
            self._push(sender, update)

    async def _stop_sender(self) -> None:
        """Stops delivery; updates in flight stay pending, as with Telegram."""
        sender, self._sender = self._sender, None
        self._updates.sink = None
        if sender is not None:
            await sender.close()
        self._updates.forget_acknowledged()

    @staticmethod
    def _push(sender: WebhookSender, update: JSON) -> None:
        """Hands an update to the sender in its chat's queue."""
        payload = next(value for key, value in update.items() if key != "update_id")
        chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
        key = WebhookSender.queue_key(chat["id"] if chat else None)
        sender.push(update["update_id"], key, json.dumps(update).encode())

    # -------------------------------------------------------------- what delivery reports

    def _count(self, counter: str) -> None:
        self._deliveries[counter] += 1
        self._deliveries_changed.set()
        self._deliveries_changed = asyncio.Event()

    def _delivered(self, update_id: int, response: WebhookResponse) -> None:
        self._count("delivered")
        self._updates.acknowledge(update_id)
        if response.body and response.headers.get("content-type", "").startswith(
            FORM_CONTENT_TYPES
        ):
            self._reply(response)

    def _failed(self, update_id: int, error: str) -> None:
        self._count("failed")
        self._error = (int(time.time()), error)

    def _reply(self, response: WebhookResponse) -> None:
        """Runs a method call the bot returned in its answer to a webhook request."""
        try:
            args = response_args(response)
        except ApiError:
            self._count("ignored_replies")
            return
        method = args.values.pop("method", "")
        if not method:
            return
        lowered = method.lower()
        if lowered in NOT_FROM_WEBHOOK_RESPONSE or lowered.startswith("get"):
            log.warning("webhook response asks for %s, which Telegram ignores there", method)
            self._count("ignored_replies")
            return
        self._count("replies")
        task = asyncio.get_running_loop().create_task(self._run_reply(method, args))
        self._reply_tasks.add(task)
        task.add_done_callback(self._reply_tasks.discard)

    async def _run_reply(self, method: str, args: Args) -> None:
        if await self._run(method, args) != 200:
            self._count("reply_errors")

    @property
    def deliveries(self) -> dict[str, int]:
        return {name: self._deliveries[name] for name in DELIVERY_COUNTERS}

    async def wait_deliveries(
        self, condition: Callable[[dict[str, int]], bool], timeout: float
    ) -> dict[str, int]:
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition(counters := self.deliveries):
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                await asyncio.wait_for(self._deliveries_changed.wait(), max(remaining, 0))
            except TimeoutError:
                raise TimeoutError(
                    f"webhook deliveries {counters} did not reach the condition within "
                    f"{timeout}s; getWebhookInfo: {self.info()}"
                ) from None
        return counters

    # -------------------------------------------------------------- the methods

    def info(self) -> JSON:
        """What getWebhookInfo answers now."""
        info: JSON = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": self._updates.pending_count,
        }
        if self._error is not None:
            info["last_error_date"], info["last_error_message"] = self._error
        if self._webhook is not None:
            info["url"] = self._webhook["url"]
            info["max_connections"] = self._webhook["max_connections"]
            peer = self._sender.peer_ip if self._sender is not None else ""
            info["ip_address"] = peer or "<unknown>"
        if self._updates.allowed is not None:
            info["allowed_updates"] = sorted(self._updates.allowed)
        return info

    async def set_webhook(self, args: Args) -> bool:
        """Sets the webhook; a changed URL, secret or max_connections restarts delivery."""
        url = args.arg("url")
        if not url:
            return await self.delete_webhook(args)
        if not valid_webhook_url(url):
            raise bad_request("bad webhook: invalid webhook URL specified")
        secret_token = args.arg("secret_token")
        if len(secret_token) > MAX_SECRET_TOKEN_LENGTH:
            raise bad_request("secret token is too long")
        if not SECRET_TOKEN.fullmatch(secret_token):
            raise bad_request("secret token contains unallowed characters")
        allowed = self._updates.allowed_updates(args)
        webhook = {
            "url": url,
            "secret_token": secret_token,
            "max_connections": args.int_arg("max_connections", 40, 1, 100),
        }
        drop = args.bool_arg("drop_pending_updates")
        if drop or webhook != self._webhook or self._sender is None:
            await self._stop_sender()
            if drop:
                self._updates.pending.clear()
            if self._webhook is None or self._webhook["url"] != url:
                self._error = None
            self._set(webhook)
            if self._listening():
                self._start_sender()
        self._updates.restrict(allowed)
        self._updates.wake_poller("webhook")
        return True

    def _set(self, webhook: JSON | None) -> None:
        self._webhook = webhook
        self._updates.webhook_active = webhook is not None

    async def delete_webhook(self, args: Args) -> bool:
        await self._stop_sender()
        self._set(None)
        self._error = None
        if args.bool_arg("drop_pending_updates"):
            self._updates.pending.clear()
        return True

    async def get_webhook_info(self, args: Args) -> JSON:
        return self.info()
