"""An in-process Telegram Bot API server for tests, the demo and benchmarks.

The unmodified bot talks to it over real HTTP (PTB's ``base_url``/``base_file_url``), and
simulated users (``bot.sandbox.driver``) play the other side. It is deliberately as strict
as Telegram: parameters are read the way the official Bot API server reads them and
failures carry Telegram's own error codes and descriptions, so a bug that would fail in
production fails here first. Where Telegram's behaviour could not be confirmed the choice
is the stricter one and is called out in a comment.

Updates reach the bot by getUpdates or, after setWebhook, by webhook requests
(``bot.sandbox.webhooks``); a method returned in the body of a webhook answer is run as
Telegram runs it. Everything runs on the current asyncio loop (tornado); per-request work
is a few dict lookups so it keeps up with load tests of hundreds of updates a second.

This module is the front: ``TelegramEmulator`` builds the emulator from one part per Bot
API area (see the map in ``bot.sandbox``), and holds the simulated world (users, groups,
what they write) and the lifecycle. The names tests and benchmarks import from here are
re-exported from their homes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

import tornado.httpserver

from bot.sandbox.args import JSON, Args, Handler, to_integer
from bot.sandbox.callbacks import Callbacks
from bot.sandbox.chats import Chats, ChatState, UserInfo
from bot.sandbox.commands import Commands
from bot.sandbox.dispatch import VIA_API, VIA_WEBHOOK_RESPONSE, Dispatcher, RequestRecord
from bot.sandbox.driver import Document, SimulatedGroup, SimulatedUser
from bot.sandbox.errors import ApiError
from bot.sandbox.files import FileMethods, FileStore, StoredFile
from bot.sandbox.flood_control import Faults, FloodControl
from bot.sandbox.formatting import command_entities
from bot.sandbox.media import MediaMethods
from bot.sandbox.menu_button import MenuButtons
from bot.sandbox.messages import Messages
from bot.sandbox.ratelimit import RateLimits, Violation
from bot.sandbox.server import listen
from bot.sandbox.updates import UpdateQueue
from bot.sandbox.webhook_sender import WebhookPolicy
from bot.sandbox.webhooks import Webhooks

__all__ = [
    "VIA_API",
    "VIA_WEBHOOK_RESPONSE",
    "ApiError",
    "Faults",
    "RateLimits",
    "RequestRecord",
    "TelegramEmulator",
    "Violation",
    "WebhookPolicy",
    "main",
]

log = logging.getLogger(__name__)


class TelegramEmulator:
    """A Telegram Bot API server for one bot, plus the simulated world around it.

    Updates reach the bot by getUpdates or, once setWebhook was called, by webhook: each
    is POSTed to the URL (see ``bot.sandbox.webhooks``; ``webhook_policy`` sets the retry
    timing). The emulator behaves like the Bot API server started with ``--local``, which
    accepts plain-http webhook URLs on any port.
    """

    def __init__(
        self,
        token: str = "123456:TEST-token",  # noqa: S107 - the sandbox's fake token
        bot_id: int = 123456,
        bot_username: str = "SummitDemoBot",
        bot_first_name: str = "Summit Bot",
        rate_limits: RateLimits | None = None,
        faults: Faults | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_policy: WebhookPolicy | None = None,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.group_privacy = True
        self._requested_port = port
        self._port: int | None = None
        self._server: tornado.httpserver.HTTPServer | None = None
        self._users: dict[int, SimulatedUser] = {}
        self._groups: dict[int, SimulatedGroup] = {}
        # One part per Bot API area; each brings its methods (``table()``).
        self._chats = Chats()
        self._flood = FloodControl(rate_limits or RateLimits(), faults or Faults())
        self.webhook_policy = webhook_policy or WebhookPolicy()
        self._updates = UpdateQueue()
        self._webhooks = Webhooks(
            self._updates,
            lambda: self.webhook_policy,
            lambda: self._server is not None,
            self._run_from_webhook_response,
        )
        self._files = FileStore(bot_id)
        self._messages = Messages(self._chats, self._flood, self._files, self._bot_json)
        self._callbacks = Callbacks(self._flood, self._messages, self._updates.enqueue, bot_id)
        self._commands = Commands(self._chats, self._flood)
        self.media = MediaMethods(self._chats, self._files, self._messages, bot_id)
        self.menu_buttons = MenuButtons(self._chats)
        self._dispatcher = Dispatcher(token, self._method_table(), self._chats, self._updates)
        # What the driver and the HTTP server call, answered by the part that knows how.
        self.press_button = self._callbacks.press
        """A callback_query update for a button press; waits for the bot's answer."""
        self.handle = self._dispatcher.handle
        """Runs one Bot API request; returns (HTTP status, JSON body)."""
        self.reject = self._dispatcher.reject
        """Answers a request that could not even be read (e.g. bytes that are not UTF-8)."""

    def _method_table(self) -> dict[str, Handler]:
        return {
            "getMe": self._get_me,
            **self._updates.table(),
            **self._webhooks.table(),
            **self._messages.table(),
            **self._callbacks.table(),
            **FileMethods(self._chats, self._files, self._messages).table(),
            **self._commands.table(),
            **self.menu_buttons.table(),
            "close": self._true,
            "logOut": self._true,
            **self.media.table(),
        }

    # -------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Starts listening (on the running loop)."""
        self._server, self._port = listen(self, self.host, self._requested_port)
        self._webhooks.resume()

    async def stop(self) -> None:
        """Stops listening, releases a held getUpdates and closes every connection."""
        if self._server is None:
            return
        self._server.stop()
        self._updates.wake_poller("stopped")
        await self._webhooks.close()
        await self._server.close_all_connections()
        self._server = None

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The port actually listened on."""
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def api_base_url(self) -> str:
        """For PTB's ApplicationBuilder().base_url(...)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def api_file_url(self) -> str:
        """For PTB's ApplicationBuilder().base_file_url(...)."""
        return f"http://{self.host}:{self.port}/file/bot"

    # -------------------------------------------------------------- configuration

    @property
    def faults(self) -> Faults:
        """Failure injection; assigning restarts its random sequence from the seed."""
        return self._flood.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._flood.configure(faults=faults)

    @property
    def rate_limits(self) -> RateLimits:
        """Flood limits; assigning starts with full buckets."""
        return self._flood.rate_limits

    @rate_limits.setter
    def rate_limits(self, limits: RateLimits) -> None:
        self._flood.configure(limits=limits)

    @property
    def violations(self) -> list[Violation]:
        """Calls made inside a window a 429 had closed (the live list; tests assert it is
        empty)."""
        return self._flood.violations

    # -------------------------------------------------------------- the simulated world

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> SimulatedUser:
        """The simulated user with this id (created on first use; later calls return it)."""
        if user_id in self._users:
            return self._users[user_id]
        if user_id <= 0:
            raise ValueError("user ids are positive")
        info = UserInfo(user_id, first_name or f"User{user_id}", last_name, username, language_code)
        chat = self._chats.add(ChatState(user_id, "private", None, info))
        simulated = SimulatedUser(self, info, chat)
        self._users[user_id] = simulated
        return simulated

    def group(self, chat_id: int, title: str = "Group") -> SimulatedGroup:
        """A group the bot is in; ids starting with -100 are supergroups."""
        if chat_id in self._groups:
            return self._groups[chat_id]
        if chat_id >= 0:
            raise ValueError("group ids are negative")
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat = self._chats.add(ChatState(chat_id, kind, title, None))
        simulated = SimulatedGroup(self, chat)
        self._groups[chat_id] = simulated
        return simulated

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends to them fail with 403."""
        self.user(user_id).chat.blocked = True

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self.user(user_id).chat.blocked = False

    def post_user_message(
        self,
        chat: ChatState,
        user: UserInfo,
        *,
        text: str | None = None,
        document: Document | None = None,
    ) -> JSON:
        """A user writes in a chat; the update is queued for the bot (driver hook)."""
        user.seen_by_bot = True
        if chat.user is not None:
            chat.known = True
            chat.blocked = False  # writing to a bot restarts it
        message: JSON = {
            "message_id": chat.new_message_id(),
            "from": user.to_json(),
            "chat": chat.to_json(),
            "date": int(time.time()),
        }
        body = text
        if document is not None:
            stored = self._files.store(document.content, document.file_name, document.mime_type)
            message["document"] = stored.document_json()
            body = document.caption
            if body:
                message["caption"] = body
        elif text is not None:
            message["text"] = text
        entities = command_entities(body) if body else []
        if entities:
            message["caption_entities" if document else "entities"] = entities
        chat.incoming[message["message_id"]] = message
        if self._reaches_bot(chat, body or "", entities):
            self._updates.enqueue("message", message)
        return message

    def _reaches_bot(self, chat: ChatState, body: str, entities: list[JSON]) -> bool:
        """Privacy mode: in groups the bot only sees commands meant for it."""
        if not chat.is_group or not self.group_privacy:
            return True
        if not entities or entities[0]["offset"] != 0:
            return False
        command = body[: entities[0]["length"]]
        target = command.partition("@")[2]
        return not target or target.lower() == self.bot_username.lower()

    # -------------------------------------------------------------- introspection

    def commands(
        self, language_code: str | None = None, scope_type: str = "default", chat_id: int = 0
    ) -> list[tuple[str, str]]:
        """What setMyCommands stored for this scope and language (exact match)."""
        return self._commands.for_scope((scope_type, chat_id, 0, language_code or ""))

    @property
    def requests(self) -> list[RequestRecord]:
        """Every API call so far, oldest first (the live list: ``.clear()`` it to reset)."""
        return self._dispatcher.requests

    @property
    def stats(self) -> dict[str, int]:
        """Counters: calls per method name, and failures per error code ("429", ...)."""
        return dict(self._dispatcher.stats)

    def file_bytes(self, file_id: str) -> bytes:
        """The content of an uploaded file."""
        return self._files.get(file_id).content

    def file_at(self, path: str) -> StoredFile | None:
        """The file served at /file/bot<token>/<path>."""
        return self._files.at(path)

    def drop_pending_updates(self) -> int:
        """Forget the updates no bot has fetched yet, as deleteWebhook(drop_pending_updates)
        does; a benchmark makes thousands of chats known this way without flooding the bot."""
        dropped = self.pending_update_count
        self._webhooks.drop_pending()
        return dropped

    @property
    def pending_update_count(self) -> int:
        """Updates queued and not yet confirmed by the bot (by getUpdates or webhook)."""
        return self._updates.pending_count

    def webhook_info(self) -> JSON:
        """What getWebhookInfo answers now."""
        return self._webhooks.info()

    @property
    def deliveries(self) -> dict[str, int]:
        """Webhook counters: ``delivered`` updates, ``failed`` attempts (each retried),
        ``replies`` (methods run from webhook responses), ``reply_errors`` (those that
        failed; Telegram tells the bot nothing) and ``ignored_replies`` (methods Telegram
        does not run from a response, such as getMe, or unreadable bodies)."""
        return self._webhooks.deliveries

    async def wait_deliveries(
        self, condition: Callable[[dict[str, int]], bool], timeout: float = 5.0
    ) -> dict[str, int]:
        """Waits until ``condition(emu.deliveries)`` holds; returns the counters then.

        E.g. ``await emu.wait_deliveries(lambda d: d["failed"] >= 2)``.
        """
        return await self._webhooks.wait_deliveries(condition, timeout)

    # -------------------------------------------------------------- the bot itself

    async def _run_from_webhook_response(self, method: str, args: Args) -> int:
        status, _ = await self.handle(self.token, method, args, via=VIA_WEBHOOK_RESPONSE)
        return status

    def _bot_json(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    async def _true(self, args: Args) -> bool:
        return True

    async def _get_me(self, args: Args) -> JSON:
        return {
            **self._bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.group_privacy,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }


# ------------------------------------------------------------------ standalone


def _parse_cli(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the Telegram Bot API emulator.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-token")
    parser.add_argument("--bot-id", type=int, default=None)
    parser.add_argument("--bot-username", default="SummitDemoBot")
    return parser.parse_args(argv)


async def _serve_forever(options: argparse.Namespace) -> None:
    bot_id = options.bot_id or to_integer(options.token.partition(":")[0]) or 123456
    emulator = TelegramEmulator(
        token=options.token,
        bot_id=bot_id,
        bot_username=options.bot_username,
        host=options.host,
        port=options.port,
    )
    async with emulator:
        log.info(
            "Telegram emulator listening: base_url=%s base_file_url=%s",
            emulator.api_base_url,
            emulator.api_file_url,
        )
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.sandbox.emulator --port 8081 --token T``."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(_parse_cli(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
