"""An in-process Telegram Bot API server for tests, the demo and benchmarks.

The unmodified bot talks to it over real HTTP (PTB's ``base_url``/``base_file_url``), and
simulated users (``bot.sandbox.driver``) play the other side. It is deliberately as strict
as Telegram: parameters are read the way the official Bot API server reads them and
failures carry Telegram's own error codes and descriptions, so a bug that would fail in
production fails here first. Where Telegram's behaviour could not be confirmed the choice
is the stricter one and is called out in a comment.

Updates reach the bot by getUpdates or, after setWebhook, by webhook requests
(``bot.sandbox.webhook``); a method returned in the body of a webhook answer is run as
Telegram runs it. Everything runs on the current asyncio loop (tornado); per-request work
is a few dict lookups so it keeps up with load tests of hundreds of updates a second.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import mimetypes
import random
import re
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web

from bot.sandbox.driver import (
    BotMessage,
    Button,
    CallbackAnswer,
    ChatEvent,
    Document,
    SimulatedGroup,
    SimulatedUser,
)
from bot.sandbox.html_entities import (
    EntityParseError,
    FormattedText,
    checked_link,
    clip_entities,
    normalize_text,
    parse_html,
    sort_entities,
    utf16_length,
)
from bot.sandbox.ratelimit import RateLimiter, RateLimits, Violation
from bot.sandbox.webhook import WebhookPolicy, WebhookResponse, WebhookSender

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

JSON = dict[str, Any]
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_COMMANDS = 100
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
LONG_POLL_MAX_TIMEOUT = 50
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_ID_INVALID = "query is too old and response timeout expired or query ID is invalid"
CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
FAULT_DESCRIPTIONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
# RequestRecord.via: how a call reached the emulator.
VIA_API = "api"
VIA_WEBHOOK_RESPONSE = "webhook-response"
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
# Telegram sends these only to bots that ask for them in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "record_audio", "upload_audio", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note", "cancel",
    }
)  # fmt: skip
INLINE_BUTTON_KINDS = (
    "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
)  # fmt: skip
ENTITY_TYPES_WITH_EXTRA = {"text_link": "url", "pre": "language", "custom_emoji": "custom_emoji_id"}
FORMATTING_ENTITY_TYPES = frozenset(
    {
        "bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link",
        "text_mention", "custom_emoji", "blockquote", "expandable_blockquote",
    }
)  # fmt: skip
DETECTED_ENTITY_TYPES = frozenset(
    {"mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number"}
)
BOT_COMMAND = re.compile(r"(?<![\w/<>])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/<>@])")


# ------------------------------------------------------------------ public value types


@dataclass(frozen=True)
class Faults:
    """Failure injection for sending and editing methods.

    With probability ``error_rate`` a request is answered with one of ``error_codes``
    (500 "Internal Server Error", 502 "Bad Gateway") and NOT delivered; with probability
    ``slow_rate`` it is delivered but the response is held back ``slow_seconds``, the way a
    slow network makes a client time out on a message that did arrive.
    """

    error_rate: float = 0.0
    error_codes: tuple[int, ...] = (500, 502)
    slow_rate: float = 0.0
    slow_seconds: float = 0.0
    seed: int = 0


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


class ApiError(Exception):
    """A Bot API failure: HTTP status = error_code, with Telegram's description."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


def bad_request(reason: str) -> ApiError:
    """A 400 worded like the Bot API server does it (Client::fail_query_with_error).

    "Bad Request: " is prefixed and the first letter lowered, except for server error
    codes such as BUTTON_DATA_INVALID, which stay as they are.
    """
    if len(reason) >= 2 and (reason[1] == "_" or reason[1].isupper()):
        return ApiError(400, f"Bad Request: {reason}")
    return ApiError(400, f"Bad Request: {reason[:1].lower()}{reason[1:]}")


def forbidden(reason: str) -> ApiError:
    """A 403 such as "Forbidden: bot was blocked by the user"."""
    return ApiError(403, f"Forbidden: {reason}")


# ------------------------------------------------------------------ request parameters


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request."""

    file_name: str
    content_type: str
    body: bytes


def to_integer(value: str) -> int:
    """td::to_integer: optional minus and leading digits; anything else reads as 0."""
    match = re.match(r"\s*(-?)(\d*)", value)
    if match is None or not match.group(2):
        return 0
    number = int(match.group(2))
    return -number if match.group(1) else number


def to_bool(value: str) -> bool:
    """The Bot API's reading of a boolean parameter."""
    return value.strip().lower() in ("true", "yes", "1")


class Args:
    """Request parameters as strings, read with the Bot API server's (lenient) rules."""

    def __init__(self, values: dict[str, str], files: dict[str, Upload]) -> None:
        self.values = values
        self.files = files

    def arg(self, name: str) -> str:
        """The raw value, or "" when absent (Telegram does not distinguish the two)."""
        return self.values.get(name, "")

    def int_arg(
        self, name: str, default: int = 0, low: int | None = None, high: int | None = None
    ) -> int:
        """An integer parameter clamped like get_integer_arg; ``default`` when empty."""
        raw = self.arg(name)
        number = to_integer(raw) if raw else default
        if low is not None:
            number = max(low, number)
        if high is not None:
            number = min(high, number)
        return number

    def bool_arg(self, name: str) -> bool:
        """A boolean parameter ("true", "yes" or "1")."""
        return to_bool(self.arg(name))

    def json_arg(self, name: str, error: str) -> Any:
        """A JSON-serialized parameter; None when absent, ``error`` when malformed."""
        raw = self.arg(name)
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise bad_request(error) from None

    def for_record(self) -> dict[str, str]:
        """Parameters for RequestRecord, with uploads summarized instead of copied."""
        record = dict(self.values)
        for name, upload in self.files.items():
            record[name] = f"<upload {upload.file_name!r}, {len(upload.body)} bytes>"
        return record


def _string_field(obj: JSON, name: str, required: bool = False) -> str:
    """get_json_object_string_field: strings, or numbers read as strings."""
    if name not in obj or obj[name] is None:
        if required:
            raise ValueError(f'Can\'t find field "{name}"')
        return ""
    value = obj[name]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f'Field "{name}" must be of type String')
    return value if isinstance(value, str) else json.dumps(value)


def _int_field(obj: JSON, name: str, required: bool = False) -> int:
    """get_json_object_int_field: integers, or strings holding one."""
    if name not in obj or obj[name] is None:
        if required:
            raise ValueError(f'Can\'t find field "{name}"')
        return 0
    value = obj[name]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise ValueError(f'Field "{name}" must be a valid Number')


# ------------------------------------------------------------------ reply markup


def _inline_button(raw: Any) -> JSON:
    """Validates one InlineKeyboardButton; returns it as Telegram echoes it back."""
    if not isinstance(raw, dict):
        raise ValueError("InlineKeyboardButton must be an Object")
    text = _string_field(raw, "text", required=True)
    url = _string_field(raw, "url")
    if url:
        if not checked_link(url):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        return {"text": text, "url": url}
    data = _string_field(raw, "callback_data")
    if data:
        if len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return {"text": text, "callback_data": data}
    for kind in INLINE_BUTTON_KINDS:
        if kind in raw:
            return {"text": text, kind: raw[kind]}
    raise ValueError("Text buttons are unallowed in the inline keyboard")


def _rows(value: Any, field_name: str, owner: str) -> list[list[Any]]:
    if not isinstance(value, list):
        raise bad_request(f'Field "{field_name}" of the {owner} must be an Array')
    if not all(isinstance(row, list) for row in value):
        raise bad_request(f'Field "{field_name}" of the {owner} must be an Array of Arrays')
    return value


def _inline_keyboard(value: Any) -> JSON | None:
    rows = []
    for row in _rows(value, "inline_keyboard", "InlineKeyboardMarkup"):
        try:
            buttons = [_inline_button(button) for button in row]
        except ValueError as error:
            raise bad_request(f"Can't parse inline keyboard button: {error}") from None
        if buttons:
            rows.append(buttons)
    return {"inline_keyboard": rows} if rows else None


def _reply_keyboard(markup: JSON) -> JSON:
    for row in _rows(markup["keyboard"], "keyboard", "ReplyKeyboardMarkup"):
        for button in row:
            if isinstance(button, dict):
                try:
                    _string_field(button, "text", required=True)
                except ValueError as error:
                    raise bad_request(f"Can't parse keyboard button: {error}") from None
            elif not isinstance(button, str):
                raise bad_request(
                    "Can't parse keyboard button: KeyboardButton must be a String or an Object"
                )
    return markup


def parse_reply_markup(args: Args) -> JSON | None:
    """reply_markup as Client::get_reply_markup reads it; None for no (or empty) markup."""
    markup = args.json_arg("reply_markup", "Can't parse reply keyboard markup JSON object")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("Object expected as reply markup")
    if markup.get("inline_keyboard") is not None:
        return _inline_keyboard(markup["inline_keyboard"])
    if markup.get("keyboard") is not None:
        return _reply_keyboard(markup)
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return markup
    return None


def buttons_of(markup: JSON | None) -> list[list[Button]]:
    """The driver's view of an inline keyboard."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
        for row in markup["inline_keyboard"]
    ]


# ------------------------------------------------------------------ explicit entities


def _explicit_entity(raw: Any) -> JSON | None:
    if not isinstance(raw, dict):
        raise ValueError("expected an Object")
    offset = _int_field(raw, "offset", required=True)
    length = _int_field(raw, "length", required=True)
    kind = _string_field(raw, "type", required=True)
    if not kind:
        raise ValueError("Type is not specified")
    if kind in DETECTED_ENTITY_TYPES:
        return None
    if kind not in FORMATTING_ENTITY_TYPES:
        raise ValueError("Unsupported type specified")
    if offset < 0 or offset > 1000000:
        raise ValueError(f"Receive an entity with incorrect offset {offset}")
    entity: JSON = {"type": kind, "offset": offset, "length": length}
    extra = ENTITY_TYPES_WITH_EXTRA.get(kind)
    if extra and _string_field(raw, extra, required=kind == "text_link"):
        entity[extra] = _string_field(raw, extra)
    if kind == "text_mention":
        user = raw.get("user")
        if not isinstance(user, dict):
            raise ValueError('Can\'t find field "user"')
        entity["user"] = {"id": _int_field(user, "id", required=True)}
    return entity


def explicit_entities(text: str, raw: Any) -> list[JSON]:
    """The ``entities`` parameter (used when there is no parse_mode)."""
    if not isinstance(raw, list):
        return []
    entities = []
    for item in raw:
        try:
            entity = _explicit_entity(item)
        except ValueError as error:
            raise bad_request(f"Can't parse MessageEntity: {error}") from None
        if entity is not None:
            entities.append(entity)
    return sort_entities(clip_entities(text, entities))


def command_entities(text: str) -> list[JSON]:
    """bot_command entities Telegram detects in what users write."""
    return [
        {"type": "bot_command", "offset": utf16_length(text[: m.start()]), "length": len(m.group())}
        for m in BOT_COMMAND.finditer(text)
    ]


# ------------------------------------------------------------------ state


@dataclass
class UserInfo:
    """A simulated Telegram user."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    seen_by_bot: bool = False

    def to_json(self) -> JSON:
        """The User object."""
        user: JSON = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class BotRecord:
    """A bot message: the driver's view plus what only the API response needs."""

    view: BotMessage
    markup: JSON | None
    reply_to: JSON | None = None
    edit_date: int | None = None


class ChatState:
    """One chat: its messages, and the waiters and subscribers watching it.

    Bot message ids are kept in an append-only list, so readers can remember how far
    they have read with a single index and nothing is ever rescanned.
    """

    def __init__(self, chat_id: int, kind: str, title: str | None, user: UserInfo | None) -> None:
        self.chat_id = chat_id
        self.kind = kind
        self.title = title
        self.user = user
        self.known = kind != "private"
        self.blocked = False
        self._next_message_id = 1
        self.records: dict[int, BotRecord] = {}
        self.incoming: dict[int, JSON] = {}
        self._order: list[int] = []
        self._subscribers: list[asyncio.Queue[ChatEvent]] = []
        self._changed = asyncio.Event()
        self.recent_errors: deque[str] = deque(maxlen=5)

    @property
    def is_group(self) -> bool:
        """Groups and supergroups share flood limits and privacy mode."""
        return self.kind != "private"

    def to_json(self) -> JSON:
        """The Chat object."""
        if self.user is None:
            return {"id": self.chat_id, "title": self.title or "", "type": self.kind}
        chat = {"id": self.chat_id, "type": "private"}
        user = self.user.to_json()
        chat.update({k: user[k] for k in ("first_name", "last_name", "username") if k in user})
        return chat

    def new_message_id(self) -> int:
        """Message ids grow by one per message, shared by users and the bot."""
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def add(self, record: BotRecord) -> None:
        """Stores a new bot message and tells everyone watching."""
        self.records[record.view.message_id] = record
        self._order.append(record.view.message_id)
        self.publish(ChatEvent("message", record.view))

    def publish(self, event: ChatEvent) -> None:
        """Wakes waiters and feeds subscribers."""
        for queue in self._subscribers:
            queue.put_nowait(event)
        self._changed.set()
        self._changed = asyncio.Event()

    def subscribe(self) -> asyncio.Queue[ChatEvent]:
        """A queue of every later event in this chat."""
        queue: asyncio.Queue[ChatEvent] = asyncio.Queue()
        self._subscribers.append(queue)
        return queue

    async def wait_for_change(self, deadline: float) -> bool:
        """Waits for the next change until ``deadline`` (loop time); False on timeout."""
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            return False
        try:
            await asyncio.wait_for(self._changed.wait(), remaining)
        except TimeoutError:
            return False
        return True

    def bot_message(self, message_id: int) -> BotMessage | None:
        """Current state of a bot message, None if it never existed or was deleted."""
        record = self.records.get(message_id)
        return record.view if record else None

    def bot_messages(self) -> list[BotMessage]:
        """All bot messages still in the chat, oldest first."""
        return [self.records[i].view for i in self._order if i in self.records]

    def next_bot_message(self, cursor: int) -> tuple[int, BotMessage] | None:
        """The first bot message at or after ``cursor`` that still exists, and the new cursor."""
        while cursor < len(self._order):
            record = self.records.get(self._order[cursor])
            cursor += 1
            if record is not None:
                return cursor, record.view
        return None


@dataclass
class StoredFile:
    """A file known to the emulator, uploaded by a user or by the bot."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None
    mime_type: str | None

    def document_json(self) -> JSON:
        """The Document object."""
        document: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        document["file_size"] = len(self.content)
        return document


@dataclass
class CallbackQuery:
    """A button press waiting for answerCallbackQuery."""

    query_id: str
    chat_id: int
    data: str
    answer: asyncio.Future[CallbackAnswer]


@dataclass
class _Poller:
    """The getUpdates request currently held open, and why it was woken."""

    wake: asyncio.Future[str]


# ------------------------------------------------------------------ the emulator

Handler = Callable[[Args], Awaitable[Any]]


class TelegramEmulator:
    """A Telegram Bot API server for one bot, plus the simulated world around it.

    Updates reach the bot by getUpdates or, once setWebhook was called, by webhook: each
    is POSTed to the URL (see ``bot.sandbox.webhook``; ``webhook_policy`` sets the retry
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
        self._rate_limits = rate_limits or RateLimits()
        self._limiter = RateLimiter(self._rate_limits)
        self._faults = faults or Faults()
        self._rng = random.Random(self._faults.seed)
        self._chats: dict[int, ChatState] = {}
        self._users: dict[int, SimulatedUser] = {}
        self._groups: dict[int, SimulatedGroup] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callbacks: dict[str, CallbackQuery] = {}
        self._callback_counter = itertools.count(1)
        self._updates: deque[JSON] = deque()
        self._next_update_id = 1
        self._allowed_updates: frozenset[str] | None = None
        self._poller: _Poller | None = None
        self._webhook: JSON | None = None
        self.webhook_policy = webhook_policy or WebhookPolicy()
        self._sender: WebhookSender | None = None
        self._acknowledged: set[int] = set()  # delivered by webhook, not yet at the front
        self._webhook_error: tuple[int, str] | None = None
        self._deliveries: Counter[str] = Counter()
        self._deliveries_changed = asyncio.Event()
        self._reply_tasks: set[asyncio.Task[None]] = set()
        self._commands: dict[tuple[str, int, int, str], list[tuple[str, str]]] = {}
        self._requests: list[RequestRecord] = []
        self._stats: Counter[str] = Counter()
        # Photos, venues and locations live in their own module (imported here: it
        # imports this one).
        from bot.sandbox.media import MediaMethods

        self.media = MediaMethods(self)
        # Imported here: the module builds on this one's request helpers.
        from bot.sandbox.menu_button import MenuButtons

        self.menu_buttons = MenuButtons(self)
        self._methods: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler) for name, handler in self._method_table().items()
        }

    # -------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Starts listening (on the running loop)."""
        app = tornado.web.Application(
            [
                (r"/bot([^/]*)/([^/]*)", _ApiHandler, {"emulator": self}),
                (r"/file/bot([^/]*)/(.+)", _FileHandler, {"emulator": self}),
            ],
            log_function=lambda handler: None,
        )
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_UPLOAD_BYTES + 2**20)
        sockets = tornado.netutil.bind_sockets(self._requested_port, address=self.host)
        self._server.add_sockets(sockets)
        self._port = sockets[0].getsockname()[1]
        if self._webhook is not None and self._sender is None:
            self._start_sender()

    async def stop(self) -> None:
        """Stops listening, releases a held getUpdates and closes every connection."""
        if self._server is None:
            return
        self._server.stop()
        self._wake_poller("stopped")
        await self._stop_sender()
        replies = list(self._reply_tasks)
        for task in replies:
            task.cancel()
        await asyncio.gather(*replies, return_exceptions=True)
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
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._faults = faults
        self._rng = random.Random(faults.seed)

    @property
    def rate_limits(self) -> RateLimits:
        """Flood limits; assigning starts with full buckets."""
        return self._rate_limits

    @rate_limits.setter
    def rate_limits(self, limits: RateLimits) -> None:
        self._rate_limits = limits
        violations = self._limiter.violations
        self._limiter = RateLimiter(limits)
        self._limiter.violations = violations

    @property
    def violations(self) -> list[Violation]:
        """Calls made inside a window a 429 had closed (the live list; tests assert it is
        empty)."""
        return self._limiter.violations

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
        chat = ChatState(user_id, "private", None, info)
        self._chats[user_id] = chat
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
        chat = ChatState(chat_id, kind, title, None)
        self._chats[chat_id] = chat
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
            stored = self._store_file(document.content, document.file_name, document.mime_type)
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
            self._enqueue("message", message)
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

    async def press_button(
        self,
        chat: ChatState,
        user: UserInfo,
        message_id: int,
        data: str,
        timeout: float,
        explain: Callable[[str, float], str],
    ) -> CallbackAnswer:
        """A callback_query update for a button press; waits for the bot's answer."""
        record = chat.records.get(message_id)
        if record is None:
            raise LookupError(f"message #{message_id} is not in chat {chat.chat_id}")
        query_id = str(4_000_000_000_000_000 + next(self._callback_counter))
        answer: asyncio.Future[CallbackAnswer] = asyncio.get_running_loop().create_future()
        self._callbacks[query_id] = CallbackQuery(query_id, chat.chat_id, data, answer)
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_json(),
                "message": self._message_json(chat, record),
                "chat_instance": str(abs(hash((chat.chat_id, self.bot_id)))),
                "data": data,
            },
        )
        try:
            return await asyncio.wait_for(asyncio.shield(answer), timeout)
        except TimeoutError:
            waited = f"The bot did not answer the callback query (data={data!r})"
            raise TimeoutError(explain(waited, timeout)) from None

    # -------------------------------------------------------------- introspection

    def commands(
        self, language_code: str | None = None, scope_type: str = "default", chat_id: int = 0
    ) -> list[tuple[str, str]]:
        """What setMyCommands stored for this scope and language (exact match)."""
        key = (scope_type, chat_id, 0, language_code or "")
        return list(self._commands.get(key, []))

    @property
    def requests(self) -> list[RequestRecord]:
        """Every API call so far, oldest first (the live list: ``.clear()`` it to reset)."""
        return self._requests

    @property
    def stats(self) -> dict[str, int]:
        """Counters: calls per method name, and failures per error code ("429", ...)."""
        return dict(self._stats)

    def file_bytes(self, file_id: str) -> bytes:
        """The content of an uploaded file."""
        return self._files[file_id].content

    def drop_pending_updates(self) -> int:
        """Forget the updates no bot has fetched yet, as deleteWebhook(drop_pending_updates)
        does; a benchmark makes thousands of chats known this way without flooding the bot."""
        dropped = self.pending_update_count
        self._updates.clear()
        self._acknowledged.clear()
        if self._sender is not None:
            self._sender.clear()
        return dropped

    @property
    def pending_update_count(self) -> int:
        """Updates queued and not yet confirmed by the bot (by getUpdates or webhook)."""
        return len(self._updates) - len(self._acknowledged)

    def webhook_info(self) -> JSON:
        """What getWebhookInfo answers now."""
        info: JSON = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": self.pending_update_count,
        }
        if self._webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        if self._webhook is not None:
            info["url"] = self._webhook["url"]
            info["max_connections"] = self._webhook["max_connections"]
            peer = self._sender.peer_ip if self._sender is not None else ""
            info["ip_address"] = peer or "<unknown>"
        if self._allowed_updates is not None:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    @property
    def deliveries(self) -> dict[str, int]:
        """Webhook counters: ``delivered`` updates, ``failed`` attempts (each retried),
        ``replies`` (methods run from webhook responses), ``reply_errors`` (those that
        failed; Telegram tells the bot nothing) and ``ignored_replies`` (methods Telegram
        does not run from a response, such as getMe, or unreadable bodies)."""
        return {name: self._deliveries[name] for name in DELIVERY_COUNTERS}

    async def wait_deliveries(
        self, condition: Callable[[dict[str, int]], bool], timeout: float = 5.0
    ) -> dict[str, int]:
        """Waits until ``condition(emu.deliveries)`` holds; returns the counters then.

        E.g. ``await emu.wait_deliveries(lambda d: d["failed"] >= 2)``.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition(counters := self.deliveries):
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                await asyncio.wait_for(self._deliveries_changed.wait(), max(remaining, 0))
            except TimeoutError:
                raise TimeoutError(
                    f"webhook deliveries {counters} did not reach the condition within "
                    f"{timeout}s; getWebhookInfo: {self.webhook_info()}"
                ) from None
        return counters

    def _count_delivery(self, counter: str) -> None:
        self._deliveries[counter] += 1
        self._deliveries_changed.set()
        self._deliveries_changed = asyncio.Event()

    # -------------------------------------------------------------- updates

    def _enqueue(self, kind: str, payload: JSON) -> None:
        allowed = self._allowed_updates
        if (kind in OPT_IN_UPDATES) if allowed is None else (kind not in allowed):
            return
        update = {"update_id": self._next_update_id, kind: payload}
        self._updates.append(update)
        self._next_update_id += 1
        if self._sender is not None:
            self._push(self._sender, update)
        else:
            self._wake_poller("update")

    def _wake_poller(self, reason: str) -> None:
        if self._poller is not None and not self._poller.wake.done():
            self._poller.wake.set_result(reason)

    # -------------------------------------------------------------- webhook delivery

    def _start_sender(self) -> None:
        """Starts delivering every pending update to the webhook, oldest first."""
        assert self._webhook is not None
        sender = WebhookSender(
            self._webhook["url"],
            self._webhook["secret_token"],
            self._webhook["max_connections"],
            self.webhook_policy,
            self._webhook_delivered,
            self._webhook_failed,
        )
        self._sender = sender
        acknowledged = self._acknowledged
        for update in self._updates:
            if update["update_id"] not in acknowledged:
                self._push(sender, update)

    async def _stop_sender(self) -> None:
        """Stops delivery; updates in flight stay pending, as with Telegram."""
        sender, self._sender = self._sender, None
        if sender is not None:
            await sender.close()
        if self._acknowledged:
            acknowledged = self._acknowledged
            self._updates = deque(u for u in self._updates if u["update_id"] not in acknowledged)
            acknowledged.clear()

    @staticmethod
    def _push(sender: WebhookSender, update: JSON) -> None:
        """Hands an update to the sender in its chat's queue."""
        payload = next(value for key, value in update.items() if key != "update_id")
        chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
        key = WebhookSender.queue_key(chat["id"] if chat else None)
        sender.push(update["update_id"], key, json.dumps(update).encode())

    def _webhook_delivered(self, update_id: int, response: WebhookResponse) -> None:
        self._count_delivery("delivered")
        updates = self._updates
        if updates and updates[0]["update_id"] == update_id:
            updates.popleft()
            acknowledged = self._acknowledged
            while acknowledged and updates and updates[0]["update_id"] in acknowledged:
                acknowledged.discard(updates.popleft()["update_id"])
        elif updates and update_id > updates[0]["update_id"]:
            self._acknowledged.add(update_id)
        if response.body and response.headers.get("content-type", "").startswith(
            FORM_CONTENT_TYPES
        ):
            self._webhook_reply(response)

    def _webhook_failed(self, update_id: int, error: str) -> None:
        self._count_delivery("failed")
        self._webhook_error = (int(time.time()), error)

    def _webhook_reply(self, response: WebhookResponse) -> None:
        """Runs a method call the bot returned in its answer to a webhook request."""
        try:
            args = response_args(response)
        except ApiError:
            self._count_delivery("ignored_replies")
            return
        method = args.values.pop("method", "")
        if not method:
            return
        lowered = method.lower()
        if lowered in NOT_FROM_WEBHOOK_RESPONSE or lowered.startswith("get"):
            log.warning("webhook response asks for %s, which Telegram ignores there", method)
            self._count_delivery("ignored_replies")
            return
        self._count_delivery("replies")
        task = asyncio.get_running_loop().create_task(self._run_reply(method, args))
        self._reply_tasks.add(task)
        task.add_done_callback(self._reply_tasks.discard)

    async def _run_reply(self, method: str, args: Args) -> None:
        status, _ = await self.handle(self.token, method, args, via=VIA_WEBHOOK_RESPONSE)
        if status != 200:
            self._count_delivery("reply_errors")

    def _confirm(self, offset: int) -> None:
        updates = self._updates
        if offset > 0:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        elif offset < 0:
            while len(updates) > -offset:
                updates.popleft()

    # -------------------------------------------------------------- dispatch

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
        self._stats[name] += 1
        arrival = self._arrived(name, args, via)
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found")
            if name == "getUpdates":
                result = await self._get_updates(args, closed)
            else:
                result = await handler(args)
        except ApiError as error:
            return self._failed(arrival, args, error)
        self._answered(arrival, 200, None)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def reject(self, method: str, error: ApiError) -> tuple[int, bytes]:
        """Answers a request that could not even be read (e.g. bytes that are not UTF-8)."""
        self._stats[method] += 1
        args = Args({}, {})
        return self._failed(self._arrived(method, args), args, error)

    def _arrived(self, name: str, args: Args, via: str = VIA_API) -> tuple[int, RequestRecord]:
        """Records a call as it arrives (status 0), so a held long poll is visible at once."""
        record = RequestRecord(name, args.for_record(), 0, None, time.time(), via)
        self._requests.append(record)
        return len(self._requests) - 1, record

    def _answered(
        self, arrival: tuple[int, RequestRecord], status: int, description: str | None
    ) -> None:
        index, record = arrival
        final = replace(record, status=status, description=description)
        if index < len(self._requests) and self._requests[index] is record:
            self._requests[index] = final
        else:  # the list was cleared meanwhile
            self._requests.append(final)

    def _failed(
        self, arrival: tuple[int, RequestRecord], args: Args, error: ApiError
    ) -> tuple[int, bytes]:
        self._stats[str(error.code)] += 1
        self._answered(arrival, error.code, error.description)
        chat = self._chats.get(to_integer(args.arg("chat_id")))
        if chat is not None:
            chat.recent_errors.append(f"{arrival[1].method}: {error.code} {error.description}")
        body: JSON = {"ok": False, "error_code": error.code, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return error.code, json.dumps(body).encode()

    def _method_table(self) -> dict[str, Handler]:
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates_plain,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "getFile": self._get_file,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "setChatMenuButton": self.menu_buttons.set,
            "getChatMenuButton": self.menu_buttons.get,
            "close": self._true,
            "logOut": self._true,
            **self.media.table(),
        }

    # -------------------------------------------------------------- shared checks

    def knows_private_chat(self, chat_id: int) -> bool:
        chat = self._chats.get(chat_id)
        return chat is not None and chat.known and not chat.is_group

    def _chat(self, args: Args, *, write: bool) -> ChatState:
        """check_chat: the chat must be one the bot has seen; blocked users refuse writes.

        A user the bot met in a group but who never opened the private chat cannot be
        written to first: that is a 403, not "chat not found".
        """
        raw = args.arg("chat_id")
        if not raw:
            raise bad_request("chat_id is empty")
        chat = self._chats.get(to_integer(raw))
        if chat is not None and not chat.known and chat.user and chat.user.seen_by_bot and write:
            raise forbidden("bot can't initiate conversation with a user")
        if chat is None or not chat.known:
            raise bad_request("chat not found")
        if write and chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat

    def _flood(self, method: str, chat: ChatState | None) -> None:
        """429 when the call finds no token, or lands inside a window a 429 closed."""
        if chat is None:
            retry_after = self._limiter.acquire(None, method=method)
        else:
            retry_after = self._limiter.acquire(chat.chat_id, chat.is_group, method)
        if retry_after is not None:
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    async def _flood_and_faults(self, chat: ChatState, method: str) -> float:
        """429s, then injected failures; returns how long to hold back the response."""
        self._flood(method, chat)
        faults = self._faults
        if faults.error_rate and self._rng.random() < faults.error_rate:
            code = self._rng.choice(faults.error_codes)
            raise ApiError(code, FAULT_DESCRIPTIONS.get(code, "Internal Server Error"))
        if faults.slow_rate and self._rng.random() < faults.slow_rate:
            return faults.slow_seconds
        return 0.0

    def _formatted(self, text: str, args: Args, entities_param: str) -> FormattedText:
        """Applies parse_mode (HTML only) or explicit entities, then Telegram's clean-up."""
        mode = args.arg("parse_mode").lower()
        if mode in ("", "none"):
            raw_entities = None
            with contextlib.suppress(ValueError):
                raw_entities = json.loads(args.arg(entities_param) or "null")
            parsed = FormattedText(text, explicit_entities(text, raw_entities))
        elif mode == "html":
            try:
                parsed = parse_html(text)
            except EntityParseError as error:
                raise bad_request(f"Can't parse entities: {error.reason}") from None
        elif mode in ("markdown", "markdownv2"):
            raise bad_request(
                f'unsupported parse_mode "{args.arg("parse_mode")}": this Telegram emulator '
                "implements only HTML; use parse_mode=HTML"
            )
        else:
            raise bad_request("Unsupported parse_mode")
        return normalize_text(parsed)

    def _message_text(self, args: Args, too_long: str) -> FormattedText:
        text = args.arg("text")
        if not text:
            raise bad_request("Message text is empty")
        formatted = self._formatted(text, args, "entities")
        if not formatted.text:
            raise bad_request("Text must be non-empty")
        if utf16_length(formatted.text) > MAX_TEXT_LENGTH:
            raise bad_request(too_long)
        return formatted

    def _reply_to(self, chat: ChatState, args: Args) -> JSON | None:
        """reply_parameters / reply_to_message_id: the replied message, if it exists."""
        params = args.json_arg("reply_parameters", "Can't parse reply parameters JSON object")
        if params is None and args.arg("reply_to_message_id"):
            params = {
                "message_id": args.int_arg("reply_to_message_id"),
                "allow_sending_without_reply": args.bool_arg("allow_sending_without_reply"),
            }
        if params is None:
            return None
        if not isinstance(params, dict):
            raise bad_request("Object expected as reply parameters")
        message_id = params.get("message_id")
        target = chat.incoming.get(message_id) if isinstance(message_id, int) else None
        if target is None and isinstance(message_id, int) and message_id in chat.records:
            target = self._message_json(chat, chat.records[message_id])
        if target is None and not params.get("allow_sending_without_reply"):
            raise bad_request("message to be replied not found")
        return target

    def _message_json(self, chat: ChatState, record: BotRecord) -> JSON:
        view = record.view
        message: JSON = {
            "message_id": view.message_id,
            "from": self._bot_json(),
            "chat": chat.to_json(),
            "date": view.date,
        }
        if view.photo is not None or view.venue is not None or view.location is not None:
            message.update(self.media.message_fields(view))
            if view.text:
                message["caption"] = view.text
            if view.entities:
                message["caption_entities"] = view.entities
        elif view.document is not None:
            message["document"] = self._files[view.document.file_id].document_json()
            if view.text:
                message["caption"] = view.text
            if view.entities:
                message["caption_entities"] = view.entities
        else:
            message["text"] = view.text
            if view.entities:
                message["entities"] = view.entities
        if record.reply_to is not None:
            message["reply_to_message"] = record.reply_to
        if record.edit_date is not None:
            message["edit_date"] = record.edit_date
        if record.markup and "inline_keyboard" in record.markup:
            message["reply_markup"] = record.markup
        if view.protect_content:
            message["has_protected_content"] = True
        return message

    def _bot_json(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _store_file(self, content: bytes, file_name: str | None, mime: str | None) -> StoredFile:
        number = next(self._file_counter)
        extension = (file_name or "").rpartition(".")[2] if file_name and "." in file_name else ""
        path = f"documents/file_{number}" + (f".{extension}" if extension else "")
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:08d}{self.bot_id:x}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=path,
            content=content,
            file_name=file_name,
            mime_type=mime,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[path] = stored
        return stored

    def file_at(self, path: str) -> StoredFile | None:
        """The file served at /file/bot<token>/<path>."""
        return self._files_by_path.get(path)

    # -------------------------------------------------------------- methods: bot & updates

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

    async def _get_updates_plain(self, args: Args) -> list[JSON]:
        return await self._get_updates(args, None)

    async def _get_updates(self, args: Args, closed: asyncio.Future[None] | None) -> list[JSON]:
        """Long polling; a newer getUpdates terminates an older one with 409, as Telegram does."""
        if self._webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        self._confirm(args.int_arg("offset"))
        limit = args.int_arg("limit", 100, 1, 100)
        timeout = args.int_arg("timeout", 0, 0, LONG_POLL_MAX_TIMEOUT)
        allowed = args.json_arg("allowed_updates", "Can't parse allowed_updates JSON object")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(str(a) for a in allowed) or None
        self._wake_poller("conflict")
        if not self._updates and timeout > 0:
            reason = await self._hold(timeout, closed)
            if reason == "conflict":
                raise ApiError(409, CONFLICT_OTHER_POLL)
            if reason == "webhook":
                raise ApiError(409, CONFLICT_WEBHOOK)
        return list(itertools.islice(self._updates, limit))

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

    async def _set_webhook(self, args: Args) -> bool:
        """Sets the webhook; a changed URL, secret or max_connections restarts delivery.

        Unlike Telegram (without ``--local``) plain http and any port are accepted, and
        the host is not resolved here: a wrong one shows up in last_error_message.
        """
        url = args.arg("url")
        if not url:
            return await self._delete_webhook(args)
        if not _valid_webhook_url(url):
            raise bad_request("bad webhook: invalid webhook URL specified")
        secret_token = args.arg("secret_token")
        if len(secret_token) > MAX_SECRET_TOKEN_LENGTH:
            raise bad_request("secret token is too long")
        if not SECRET_TOKEN.fullmatch(secret_token):
            raise bad_request("secret token contains unallowed characters")
        allowed = args.json_arg("allowed_updates", "Can't parse allowed_updates JSON object")
        webhook = {
            "url": url,
            "secret_token": secret_token,
            "max_connections": args.int_arg("max_connections", 40, 1, 100),
        }
        drop = args.bool_arg("drop_pending_updates")
        if drop or webhook != self._webhook or self._sender is None:
            await self._stop_sender()
            if drop:
                self._updates.clear()
            if self._webhook is None or self._webhook["url"] != url:
                self._webhook_error = None
            self._webhook = webhook
            if self._server is not None:
                self._start_sender()
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(str(a) for a in allowed) or None
        self._wake_poller("webhook")
        return True

    async def _delete_webhook(self, args: Args) -> bool:
        await self._stop_sender()
        self._webhook = None
        self._webhook_error = None
        if args.bool_arg("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, args: Args) -> JSON:
        return self.webhook_info()

    # -------------------------------------------------------------- methods: messages

    async def _send_message(self, args: Args) -> JSON:
        formatted = self._message_text(args, "message is too long")
        markup = parse_reply_markup(args)
        args.json_arg("link_preview_options", "Can't parse link preview options JSON object")
        chat = self._chat(args, write=True)
        reply_to = self._reply_to(chat, args)
        delay = await self._flood_and_faults(chat, "sendMessage")
        view = BotMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.chat_id,
            text=formatted.text,
            html=args.arg("text") if args.arg("parse_mode").lower() == "html" else None,
            parse_mode=args.arg("parse_mode") or None,
            entities=formatted.entities,
            buttons=buttons_of(markup),
            document=None,
            edit_count=0,
            date=int(time.time()),
            disable_notification=args.bool_arg("disable_notification"),
            reply_markup=markup,
            protect_content=args.bool_arg("protect_content"),
        )
        return await self._deliver(chat, BotRecord(view, markup, reply_to), delay)

    async def _deliver(self, chat: ChatState, record: BotRecord, delay: float) -> JSON:
        chat.add(record)
        if delay:
            await asyncio.sleep(delay)
        return self._message_json(chat, record)

    def _editable(self, args: Args) -> tuple[ChatState, BotRecord]:
        """check_message for edits: the message must exist and be the bot's own."""
        if not args.arg("chat_id") and not args.arg("message_id"):
            if not args.arg("inline_message_id"):
                raise bad_request("Message identifier is not specified")
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(args, write=False)
        message_id = args.int_arg("message_id")
        record = chat.records.get(message_id)
        if record is None:
            if message_id in chat.incoming:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return chat, record

    def _edit_markup(self, args: Args) -> JSON | None:
        markup = parse_reply_markup(args)
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("Inline keyboard expected")
        return markup

    async def _apply_edit(
        self,
        chat: ChatState,
        record: BotRecord,
        view: BotMessage,
        markup: JSON | None,
        method: str,
    ) -> JSON:
        old = record.view
        if (view.text, view.entities, markup) == (old.text, old.entities, record.markup):
            raise bad_request(NOT_MODIFIED)
        delay = await self._flood_and_faults(chat, method)
        record.view = replace(
            view, buttons=buttons_of(markup), reply_markup=markup, edit_count=old.edit_count + 1
        )
        record.markup = markup
        record.edit_date = int(time.time())
        chat.publish(ChatEvent("edit", record.view))
        if delay:
            await asyncio.sleep(delay)
        return self._message_json(chat, record)

    async def _edit_message_text(self, args: Args) -> JSON:
        formatted = self._message_text(args, "MESSAGE_TOO_LONG")
        markup = self._edit_markup(args)
        args.json_arg("link_preview_options", "Can't parse link preview options JSON object")
        chat, record = self._editable(args)
        if record.view.document is not None:
            raise bad_request("there is no text in the message to edit")
        is_html = args.arg("parse_mode").lower() == "html"
        view = replace(
            record.view,
            text=formatted.text,
            entities=formatted.entities,
            html=args.arg("text") if is_html else None,
            parse_mode=args.arg("parse_mode") or None,
        )
        return await self._apply_edit(chat, record, view, markup, "editMessageText")

    async def _edit_message_reply_markup(self, args: Args) -> JSON:
        markup = self._edit_markup(args)
        chat, record = self._editable(args)
        return await self._apply_edit(chat, record, record.view, markup, "editMessageReplyMarkup")

    async def _delete_message(self, args: Args) -> bool:
        if not args.arg("chat_id"):
            raise bad_request("Chat identifier is not specified")
        message_id = args.int_arg("message_id")
        if message_id <= 0:
            raise bad_request("Message identifier is not specified")
        chat = self._chat(args, write=False)
        self._flood("deleteMessage", None)
        record = chat.records.pop(message_id, None)
        if record is not None:
            chat.publish(ChatEvent("delete", record.view))
            return True
        if message_id not in chat.incoming:
            raise bad_request("message to delete not found")
        if chat.is_group:
            raise bad_request("message can't be deleted")  # the bot is not an admin
        del chat.incoming[message_id]
        return True

    async def _answer_callback_query(self, args: Args) -> bool:
        query = self._callbacks.get(args.arg("callback_query_id"))
        if query is None:  # unknown and already answered look the same to Telegram
            raise bad_request(QUERY_ID_INVALID)
        text = args.arg("text")
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        url = args.arg("url")
        if url:
            raise bad_request("URL_INVALID")  # only game bots may open URLs here
        self._flood("answerCallbackQuery", None)
        del self._callbacks[query.query_id]
        if not query.answer.done():
            query.answer.set_result(CallbackAnswer(text or None, args.bool_arg("show_alert")))
        return True

    async def _send_chat_action(self, args: Args) -> bool:
        if args.arg("action").lower() not in CHAT_ACTIONS:
            raise bad_request("Wrong parameter action in request")
        self._chat(args, write=True)
        self._flood("sendChatAction", None)
        return True

    # -------------------------------------------------------------- methods: files

    def _document_input(self, args: Args) -> StoredFile:
        upload = args.files.get("document")
        reference = args.arg("document")
        if reference.startswith("attach://"):
            upload = args.files.get(reference[len("attach://") :])
        if upload is not None:
            if not upload.body:
                raise bad_request("file must be non-empty")
            mime = upload.content_type or mimetypes.guess_type(upload.file_name)[0]
            return self._store_file(upload.body, upload.file_name or None, mime)
        if not reference:
            raise bad_request("there is no document in the request")
        if reference in self._files:
            return self._files[reference]
        if re.match(r"https?://", reference):
            raise bad_request("failed to get HTTP URL content")  # the sandbox has no internet
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _caption(self, args: Args) -> FormattedText:
        caption = args.arg("caption")
        if not caption:
            return FormattedText("", [])
        formatted = self._formatted(caption, args, "caption_entities")
        if utf16_length(formatted.text) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return formatted

    async def _send_document(self, args: Args) -> JSON:
        caption = self._caption(args)
        markup = parse_reply_markup(args)
        chat = self._chat(args, write=True)
        stored = self._document_input(args)
        reply_to = self._reply_to(chat, args)
        delay = await self._flood_and_faults(chat, "sendDocument")
        document = Document(
            stored.file_name, stored.mime_type, stored.content, caption.text or None, stored.file_id
        )
        is_html = args.arg("parse_mode").lower() == "html"
        view = BotMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.chat_id,
            text=caption.text,
            html=args.arg("caption") if is_html else None,
            parse_mode=args.arg("parse_mode") or None,
            entities=caption.entities,
            buttons=buttons_of(markup),
            document=document,
            edit_count=0,
            date=int(time.time()),
            disable_notification=args.bool_arg("disable_notification"),
            reply_markup=markup,
            protect_content=args.bool_arg("protect_content"),
        )
        return await self._deliver(chat, BotRecord(view, markup, reply_to), delay)

    async def _get_file(self, args: Args) -> JSON:
        file_id = args.arg("file_id")
        if not file_id:
            raise bad_request("file_id not specified")
        stored = self._files.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # -------------------------------------------------------------- methods: commands

    def _scope_key(self, args: Args) -> tuple[str, int, int, str]:
        language = args.arg("language_code")
        scope = args.json_arg("scope", "Can't parse BotCommandScope JSON object")
        kind, chat_id, user_id = "default", 0, 0
        if scope is not None:
            if not isinstance(scope, dict):
                raise bad_request("Object expected as BotCommandScope")
            try:
                kind = _string_field(scope, "type", required=True)
                if kind in ("chat", "chat_administrators", "chat_member"):
                    chat_id = _int_field(scope, "chat_id", required=True)
                if kind == "chat_member":
                    user_id = _int_field(scope, "user_id", required=True)
            except ValueError as error:
                raise bad_request(f"Can't parse BotCommandScope: {error}") from None
            scopes = ("default", "all_private_chats", "all_group_chats", "all_chat_administrators")
            if kind not in (*scopes, "chat", "chat_administrators", "chat_member"):
                raise bad_request("Can't parse BotCommandScope: Unsupported type specified")
            if chat_id and (chat_id not in self._chats or not self._chats[chat_id].known):
                raise bad_request("chat not found")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("Invalid language code specified")
        return kind, chat_id, user_id, language

    def _bot_commands(self, args: Args) -> list[tuple[str, str]]:
        raw = args.json_arg("commands", "Can't parse commands JSON object")
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise bad_request("Expected an Array of BotCommand")
        commands = []
        for item in raw:
            try:
                if not isinstance(item, dict):
                    raise ValueError("expected an Object")
                command = _string_field(item, "command", required=True)
                description = _string_field(item, "description", required=True)
            except ValueError as error:
                raise bad_request(f"Can't parse BotCommand: {error}") from None
            commands.append(_checked_command(command, description))
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        return commands

    async def _set_my_commands(self, args: Args) -> bool:
        commands = self._bot_commands(args)
        key = self._scope_key(args)
        self._flood("setMyCommands", None)
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)
        return True

    async def _get_my_commands(self, args: Args) -> list[JSON]:
        commands = self._commands.get(self._scope_key(args), [])
        return [{"command": c, "description": d} for c, d in commands]

    async def _delete_my_commands(self, args: Args) -> bool:
        self._flood("deleteMyCommands", None)
        self._commands.pop(self._scope_key(args), None)
        return True


def _valid_webhook_url(url: str) -> bool:
    """An http(s) URL with a host and, if given, a port from 1 to 65535."""
    if not re.match(r"https?://[^/\s]+", url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return bool(parts.hostname) and port != 0


def _checked_command(command: str, description: str) -> tuple[str, str]:
    """tdlib's set_commands checks, then the server's BOT_COMMAND_INVALID."""
    command = command.strip(" \t\r\n")
    command = command.removeprefix("/")
    if not command:
        raise bad_request("Command must be non-empty")
    if len(command) > 32:
        raise bad_request("Command length must not exceed 32")
    description = description.strip(" \t\r\n")
    if not description:
        raise bad_request("Command description must be non-empty")
    if len(description) > 256:
        raise bad_request("Command description length must not exceed 256")
    if not re.fullmatch(r"[a-z0-9_]+", command):
        raise bad_request("BOT_COMMAND_INVALID")
    return command, description


# ------------------------------------------------------------------ HTTP


def _decode(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("Strings must be encoded in UTF-8") from None


def _json_body_value(value: Any) -> str:
    """JSON bodies: strings stay strings, anything else is passed on as JSON text."""
    return value if isinstance(value, str) else json.dumps(value)


def _args(
    arguments: dict[str, list[bytes]],
    files: dict[str, list[tornado.httputil.HTTPFile]],
    content_type: str,
    body: bytes,
) -> Args:
    """Form fields (already parsed) plus a JSON body's fields -> Args."""
    values = {name: _decode(items[0]) for name, items in arguments.items() if items}
    if content_type.startswith("application/json") and body:
        try:
            parsed = json.loads(body)
        except ValueError:
            raise bad_request("Can't parse request JSON object") from None
        if not isinstance(parsed, dict):
            raise bad_request("Can't parse request JSON object")
        values.update({k: _json_body_value(v) for k, v in parsed.items() if v is not None})
    uploads = {
        name: Upload(items[0].filename, items[0].content_type, items[0].body)
        for name, items in files.items()
        if items
    }
    return Args(values, uploads)


def read_args(request: tornado.httputil.HTTPServerRequest) -> Args:
    """Query string, url-encoded or multipart form, or JSON body -> Args."""
    content_type = request.headers.get("Content-Type", "")
    return _args(request.arguments, request.files, content_type, request.body)


def response_args(response: WebhookResponse) -> Args:
    """The parameters of a method call returned in a webhook response body.

    As the Bot API server reads them: from a JSON object, a url-encoded form or a
    multipart form, chosen by the Content-Type; any other body carries no call.
    """
    content_type = response.headers.get("content-type", "")
    arguments: dict[str, list[bytes]] = {}
    files: dict[str, list[tornado.httputil.HTTPFile]] = {}
    if not content_type.startswith("application/json"):
        try:
            tornado.httputil.parse_body_arguments(
                content_type, response.body, arguments, files, tornado.httputil.HTTPHeaders()
            )
        except tornado.httputil.HTTPInputError:
            raise bad_request("Can't parse request body") from None
    return _args(arguments, files, content_type, response.body)


class _ApiHandler(tornado.web.RequestHandler):
    """/bot<token>/<method>, GET or POST."""

    def initialize(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def check_xsrf_cookie(self) -> None:
        """The Bot API has no cookies."""

    def on_connection_close(self) -> None:
        if not self.closed.done():
            self.closed.set_result(None)

    async def get(self, token: str, method: str) -> None:
        await self._serve(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._serve(token, method)

    async def _serve(self, token: str, method: str) -> None:
        try:
            args = read_args(self.request)
        except ApiError as error:
            status, body = self.emulator.reject(method, error)
        else:
            status, body = await self.emulator.handle(token, method, args, self.closed)
        if self.closed.done():
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(body)


class _FileHandler(tornado.web.RequestHandler):
    """/file/bot<token>/<file_path>: downloads of files from getFile."""

    def initialize(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator

    def get(self, token: str, path: str) -> None:
        stored = self.emulator.file_at(path) if token == self.emulator.token else None
        if stored is None:
            self.set_status(404)
            self.set_header("Content-Type", "application/json")
            self.finish(b'{"ok":false,"error_code":404,"description":"Not Found"}')
            return
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.finish(stored.content)


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
