"""Webhook delivery: the emulator POSTs updates to the bot like Telegram does.

A real PTB Application runs its own webhook server (``Updater.start_webhook``), and a
tiny HTTP responder stands in for bots that answer a webhook request with a method call.
"""

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, Conflict
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.sandbox.emulator import VIA_WEBHOOK_RESPONSE, TelegramEmulator, WebhookPolicy
from tests.sandbox.ptb_app import running_app

App = Application[Any, Any, Any, Any, Any, Any]
SECRET = "s3cret"
FAST_RETRIES = WebhookPolicy(backoff_start=0.02, backoff_max=0.05, timeout=2.0)
pytestmark = pytest.mark.parametrize(
    "emulator", [{"webhook_policy": FAST_RETRIES}], indirect=True, ids=["fast-retries"]
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    await update.effective_message.reply_html(
        f"<b>Welcome</b>, {update.effective_user.first_name}!"
    )


@pytest.fixture
async def webhook_app(emulator: TelegramEmulator) -> AsyncIterator[tuple[App, str]]:
    """A PTB Application receiving updates on its own webhook server; yields (app, url)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    webhook = {
        "listen": "127.0.0.1",
        "port": port,
        "url_path": "hook",
        "webhook_url": url,
        "secret_token": SECRET,
    }
    async with running_app(emulator, [CommandHandler("start", on_start)], webhook) as app:
        yield app, url


# ------------------------------------------------------------------ a raw webhook server


@dataclass
class Received:
    headers: dict[str, str]
    update: dict[str, object]


Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Responder:
    """A minimal HTTP/1.1 webhook server: records each request, answers with ``answer``."""

    answer: Callable[[Received], Awaitable[Answer]]
    received: list[Received] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    _server: asyncio.Server | None = None
    _handlers: set[asyncio.Task[None]] = field(default_factory=set)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/hook"

    async def __aenter__(self) -> "Responder":
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()  # ends the handlers' reads
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(writer)
        try:
            while request_line := await reader.readline():
                assert request_line.startswith(b"POST /hook HTTP/1.1"), request_line
                headers = {}
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode().partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers["content-length"]))
                received = Received(headers, json.loads(body))
                self.received.append(received)
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                try:
                    status, reply_headers, payload = await self.answer(received)
                finally:
                    self.in_flight -= 1
                head = [f"HTTP/1.1 {status} Status", f"Content-Length: {len(payload)}"]
                head += [f"{name}: {value}" for name, value in reply_headers.items()]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._handlers.discard(task)
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def reply_with(method_call: dict[str, object]) -> Answer:
    return 200, {"Content-Type": "application/json"}, json.dumps(method_call).encode()


async def empty_ok(received: Received) -> Answer:
    return 200, {}, b""


def text_of(received: Received) -> str:
    message = received.update["message"]
    assert isinstance(message, dict)
    return str(message["text"])


# ------------------------------------------------------------------ PTB in webhook mode


async def test_start_reaches_the_bot_by_webhook(
    emulator: TelegramEmulator, webhook_app: tuple[App, str]
) -> None:
    app, url = webhook_app
    amina = emulator.user(1001, first_name="Amina")
    await amina.send("/start")
    welcome = await amina.reply()
    assert (welcome.text, welcome.html) == ("Welcome, Amina!", "<b>Welcome</b>, Amina!")

    info = emulator.webhook_info()
    assert info["url"] == url and info["pending_update_count"] == 0
    assert info["max_connections"] == 40 and info["ip_address"] == "127.0.0.1"
    assert "last_error_date" not in info  # PTB accepted the secret header
    assert emulator.deliveries["delivered"] == 1 and emulator.deliveries["failed"] == 0
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await app.bot.get_updates()


async def test_wrong_secret_is_refused_and_retried(
    emulator: TelegramEmulator, webhook_app: tuple[App, str]
) -> None:
    app, url = webhook_app
    await app.bot.set_webhook(url, secret_token="not-the-secret")
    farid = emulator.user(1002, first_name="Farid")
    await farid.send("/start")
    await emulator.wait_deliveries(lambda d: d["failed"] >= 3)  # at once, then after backoff

    info = emulator.webhook_info()
    assert info["pending_update_count"] == 1
    assert info["last_error_message"] == (
        "Wrong response from the webhook: 403 Request had the wrong secret token"
    )
    assert emulator.deliveries["delivered"] == 0
    assert farid.messages == []

    await app.bot.set_webhook(url, secret_token=SECRET)  # fixed: the update gets through
    assert (await farid.reply()).text == "Welcome, Farid!"
    assert emulator.webhook_info()["pending_update_count"] == 0
    assert emulator.deliveries["delivered"] == 1
    assert "last_error_message" in emulator.webhook_info()  # Telegram keeps the last error


async def test_delete_webhook_stops_delivery(
    emulator: TelegramEmulator, webhook_app: tuple[App, str]
) -> None:
    app, url = webhook_app
    user = emulator.user(1003)
    await user.send("/start")
    await user.reply()
    assert await app.bot.delete_webhook()
    await user.send("/start")
    await user.no_reply(within=0.2)
    assert emulator.deliveries["delivered"] == 1
    assert emulator.webhook_info() == {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": 1,
    }
    (update,) = await app.bot.get_updates()  # the update waits for getUpdates instead
    assert update.message is not None and update.message.text == "/start"

    await app.bot.set_webhook(url, secret_token=SECRET, drop_pending_updates=True)
    await user.no_reply(within=0.2)
    assert emulator.pending_update_count == 0 and emulator.deliveries["delivered"] == 1


# ------------------------------------------------------------------ raw webhook servers


async def test_method_in_webhook_response_is_executed(emulator: TelegramEmulator, bot: Bot) -> None:
    async def answer(received: Received) -> Answer:
        text = text_of(received)
        html = "<b>unclosed" if text == "bad html" else f"<i>{text}</i>"
        if text == "getMe":
            return reply_with({"method": "getMe"})
        call = {"method": "sendMessage", "chat_id": 1004, "text": html, "parse_mode": "HTML"}
        return reply_with(call)

    async with Responder(answer) as responder:
        assert await bot.set_webhook(responder.url, secret_token=SECRET)
        user = emulator.user(1004)
        await user.send("hello")
        echo = await user.reply()
        assert (echo.text, echo.html) == ("hello", "<i>hello</i>")
        (received,) = responder.received
        assert received.headers["content-type"] == "application/json"
        assert received.headers["x-telegram-bot-api-secret-token"] == SECRET
        assert received.update["update_id"] == 1 and text_of(received) == "hello"
        record = emulator.requests[-1]
        assert (record.method, record.status, record.via) == (
            "sendMessage", 200, VIA_WEBHOOK_RESPONSE,
        )  # fmt: skip
        assert record.params == {
            "chat_id": "1004",
            "text": "<i>hello</i>",
            "parse_mode": "HTML",
        }

        await user.send("bad html")  # fails silently: counted, recorded, not retried
        await emulator.wait_deliveries(lambda d: d["reply_errors"] == 1)
        record = emulator.requests[-1]
        assert (record.method, record.status, record.via) == (
            "sendMessage", 400, VIA_WEBHOOK_RESPONSE,
        )  # fmt: skip
        assert emulator.stats["400"] == 1
        await user.send("getMe")  # Telegram does not run get* methods from a response
        await emulator.wait_deliveries(lambda d: d["delivered"] == 3)
        await user.no_reply(within=0.1)
        assert emulator.deliveries == {
            "delivered": 3, "failed": 0, "replies": 2, "reply_errors": 1, "ignored_replies": 1,
        }  # fmt: skip
        assert [r.method for r in emulator.requests if r.via == VIA_WEBHOOK_RESPONSE] == [
            "sendMessage", "sendMessage",
        ]  # fmt: skip
        assert [text_of(r) for r in responder.received] == ["hello", "bad html", "getMe"]


async def test_server_errors_are_retried_with_the_same_update(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    failures = 2

    async def answer(received: Received) -> Answer:
        nonlocal failures
        if failures:
            failures -= 1
            return 500, {}, b"oops"
        return await empty_ok(received)

    async with Responder(answer) as responder:
        await bot.set_webhook(responder.url)
        await emulator.user(1005).send("once")
        await emulator.wait_deliveries(lambda d: d["delivered"] == 1)
        assert [r.update["update_id"] for r in responder.received] == [1, 1, 1]
        assert "x-telegram-bot-api-secret-token" not in responder.received[0].headers
        assert emulator.deliveries["failed"] == 2
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 0
        assert info.last_error_message == "Wrong response from the webhook: 500 Status"


async def test_unreachable_webhook_keeps_updates_pending(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    await bot.set_webhook(f"http://127.0.0.1:{free_port()}/hook")  # nothing listens there
    await emulator.user(1006).send("anyone?")
    await emulator.wait_deliveries(lambda d: d["failed"] >= 2)
    info = emulator.webhook_info()
    assert info["last_error_message"] == "Connection refused"
    assert isinstance(info["last_error_date"], int) and info["pending_update_count"] == 1


async def test_per_chat_order_with_parallel_chats(emulator: TelegramEmulator, bot: Bot) -> None:
    async def slow_ok(received: Received) -> Answer:
        await asyncio.sleep(0.04)  # long enough for the other connection's request to arrive
        return await empty_ok(received)

    async with Responder(slow_ok) as responder:
        await bot.set_webhook(responder.url, max_connections=2)
        users = [emulator.user(2000 + n) for n in range(3)]
        for round_ in range(4):
            for user in users:
                await user.send(f"{user.user_id}:{round_}")
        await emulator.wait_deliveries(lambda d: d["delivered"] == 12)
        assert responder.most_in_flight == 2  # never more than max_connections
        for user in users:
            texts = [text_of(r) for r in responder.received if str(user.user_id) in text_of(r)]
            assert texts == [f"{user.user_id}:{n}" for n in range(4)]
        assert emulator.pending_update_count == 0


async def test_set_webhook_checks_the_secret_token(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)^secret token contains unallowed characters$"):
        await bot.set_webhook("http://127.0.0.1:8443/hook", secret_token="a:b")
    with pytest.raises(BadRequest, match=r"(?i)^bad webhook: invalid webhook URL specified$"):
        await bot.set_webhook("http://127.0.0.1:0/hook")


async def test_dropped_updates_in_flight_do_not_stall_delivery(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    first_arrived, release = asyncio.Event(), asyncio.Event()

    async def answer(received: Received) -> Answer:
        if text_of(received) == "first":
            first_arrived.set()
            await release.wait()
        return await empty_ok(received)

    async with Responder(answer) as responder:
        await bot.set_webhook(responder.url, max_connections=1)
        user = emulator.user(1007)
        await user.send("first")
        await first_arrived.wait()
        assert emulator.drop_pending_updates() == 1  # abandons the request in flight
        await user.send("second")
        await emulator.wait_deliveries(lambda d: d["delivered"] == 1)
        release.set()
        assert [text_of(r) for r in responder.received] == ["first", "second"]
        assert emulator.pending_update_count == 0
