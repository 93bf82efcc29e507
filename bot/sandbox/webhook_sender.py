"""Webhook delivery for the Telegram emulator: queued updates POSTed to the bot's URL.

Modelled on the official Bot API server (tdlib/telegram-bot-api, ``WebhookActor``):

* one update per request, JSON body, ``Content-Type: application/json``, and the header
  ``X-Telegram-Bot-Api-Secret-Token`` when setWebhook was given a secret_token;
* updates wait in queues, one per chat: a chat's next update is sent only once the
  previous one was answered with a 2xx, while different chats are served in parallel on
  up to ``max_connections`` keep-alive connections (the server keys its queues by chat
  too; the emulator puts a button press in the queue of the chat it happened in, which
  is not confirmed to be Telegram's exact key);
* a failed delivery (non-2xx answer, refused connection, timeout, ...) is retried: at once
  after the first failure (or after the answer's ``Retry-After`` seconds), then after 2,
  4, 8 ... seconds up to a minute (the server randomises that cap between one and two
  minutes; ``WebhookPolicy`` shortens all of it for tests). Other chats keep flowing
  meanwhile. Each failure is worded as the Bot API words it, e.g. "Wrong response from the
  webhook: 403 Forbidden", for getWebhookInfo's ``last_error_message``. Telegram gives up
  on an update after about a day; the emulator never does.

The HTTP client is a small HTTP/1.1 one on asyncio streams, so connections are reused as
Telegram reuses them (tornado's simple client opens a connection per request) and no
dependency is added.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import logging
import socket
import ssl
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["WebhookPolicy", "WebhookResponse", "WebhookSender"]

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 3600  # the Bot API clamps a webhook's Retry-After to an hour
MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # a response may carry a multipart method call
MAX_HEADER_LINE = 64 * 1024
CONNECTION_CLOSED = "Webhook connection closed"
TIMEOUT_EXPIRED = "Read timeout expired"
# Queues of updates that belong to no chat get keys above any chat id.
_unique_keys = itertools.count(1 << 62)


@dataclass(frozen=True)
class WebhookPolicy:
    """Retry timing for failed deliveries; the defaults are the Bot API server's.

    After the first failure an update is retried at once, then after ``backoff_start``
    seconds, doubling up to ``backoff_max``. A ``Retry-After`` header in the failed answer
    replaces the delay for that attempt. ``timeout`` bounds one attempt: connecting,
    sending and reading the whole answer.
    """

    backoff_start: float = 2.0
    backoff_max: float = 60.0
    timeout: float = 60.0


@dataclass(frozen=True)
class WebhookResponse:
    """A 2xx answer to a webhook request (header names lower-cased)."""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


class _NoResponse(Exception):
    """The connection ended before an answer began (a stale keep-alive connection)."""


class _BadResponse(Exception):
    """What came back is not HTTP/1.x."""


@dataclass
class _Pending:
    update_id: int
    body: bytes
    delay: float = 0.0
    fail_count: int = 0


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    def usable(self) -> bool:
        return not self.reader.at_eof() and not self.writer.is_closing()

    def abort(self) -> None:
        self.writer.close()

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.writer.wait_closed(), 1.0)

    async def exchange(self, request: bytes) -> tuple[WebhookResponse, bool]:
        """Sends one request; returns the answer and whether the connection stays open."""
        try:
            self.writer.write(request)
            await self.writer.drain()
            line = await self.reader.readline()
        except (ConnectionResetError, BrokenPipeError) as error:
            raise _NoResponse from error
        if not line:
            raise _NoResponse
        while True:
            version, status, reason = _status_line(line)
            headers = await self._headers()
            if status >= 200:
                break
            line = await self.reader.readline()  # 1xx: the real answer follows
        body, delimited = await self._body(status, headers)
        keep_alive = (
            delimited
            and version == "HTTP/1.1"
            and "close" not in headers.get("connection", "").lower()
        )
        return WebhookResponse(status, reason, headers, body), keep_alive

    async def _headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if not line:
                raise asyncio.IncompleteReadError(b"", None)
            if line in (b"\r\n", b"\n"):
                return headers
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon:
                raise _BadResponse("malformed header")
            headers[name.strip().lower()] = value.strip()

    async def _body(self, status: int, headers: dict[str, str]) -> tuple[bytes, bool]:
        """The body, and whether its end was delimited (so the connection can be reused)."""
        if status in (204, 304):
            return b"", True
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return await self._chunked(), True
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                raise _BadResponse("malformed Content-Length")
            if int(length) > MAX_RESPONSE_BYTES:
                raise _BadResponse("response is too big")
            return await self.reader.readexactly(int(length)), True
        body = await self.reader.read(MAX_RESPONSE_BYTES + 1)
        while body and len(body) <= MAX_RESPONSE_BYTES:
            more = await self.reader.read(MAX_RESPONSE_BYTES + 1 - len(body))
            if not more:
                break
            body += more
        if len(body) > MAX_RESPONSE_BYTES:
            raise _BadResponse("response is too big")
        return body, False

    async def _chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = (await self.reader.readline()).split(b";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise _BadResponse("malformed chunk size") from None
            if size == 0:
                while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_RESPONSE_BYTES:
                raise _BadResponse("response is too big")
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


def _status_line(line: bytes) -> tuple[str, int, str]:
    parts = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise _BadResponse("malformed status line")
    return parts[0], int(parts[1]), parts[2] if len(parts) > 2 else ""


def _retry_after(headers: dict[str, str]) -> int:
    """HttpQuery::get_retry_after: whole seconds, clamped to an hour; 0 if absent."""
    value = headers.get("retry-after", "")
    return min(int(value), MAX_RETRY_AFTER) if value.isdigit() else 0


class WebhookSender:
    """Delivers updates to one webhook URL until closed.

    ``delivered(update_id, response)`` is called when an update was answered with a 2xx,
    ``failed(update_id, error)`` for every failed attempt (it will be retried).
    """

    def __init__(
        self,
        url: str,
        secret_token: str,
        max_connections: int,
        policy: WebhookPolicy,
        delivered: Callable[[int, WebhookResponse], None],
        failed: Callable[[int, str], None],
    ) -> None:
        parts = urlsplit(url)  # ValueError for an unparsable URL or port
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        userinfo, _, netloc = parts.netloc.rpartition("@")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        head = [f"POST {path} HTTP/1.1", f"Host: {netloc}", "Content-Type: application/json"]
        if secret_token:
            head.append(f"X-Telegram-Bot-Api-Secret-Token: {secret_token}")
        if userinfo:
            head.append(f"Authorization: Basic {base64.b64encode(userinfo.encode()).decode()}")
        head += ["Connection: keep-alive", "Content-Length: "]
        self._head = "\r\n".join(head).encode("latin-1")
        self._max_connections = max_connections
        self._policy = policy
        self._delivered = delivered
        self._failed = failed
        self._ssl: ssl.SSLContext | None = None
        self._queues: dict[int, deque[_Pending]] = {}
        self._ready: deque[int] = deque()
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle: list[_Connection] = []
        self._active = 0
        self._closed = False
        self.peer_ip = ""

    @staticmethod
    def queue_key(chat_id: int | None) -> int:
        """The queue for a chat's updates; updates of no chat get a queue of their own."""
        return chat_id if chat_id is not None else next(_unique_keys)

    @property
    def in_flight(self) -> int:
        """Requests currently being answered."""
        return self._active

    def push(self, update_id: int, key: int, body: bytes) -> None:
        """Queues an update (its JSON ``body``) behind the earlier ones of queue ``key``."""
        if self._closed:
            return
        queue = self._queues.get(key)
        if queue is not None:
            queue.append(_Pending(update_id, body))
            return
        self._queues[key] = deque([_Pending(update_id, body)])
        self._ready.append(key)
        self._pump()

    def clear(self) -> None:
        """Forgets every queued update and abandons the requests in flight."""
        for timer in self._timers.values():
            timer.cancel()
        for task in self._tasks:
            task.cancel()
        self._timers.clear()
        self._queues.clear()
        self._ready.clear()

    async def close(self) -> None:
        """Stops delivering and closes every connection."""
        self._closed = True
        tasks = list(self._tasks)
        self.clear()
        await asyncio.gather(*tasks, return_exceptions=True)
        idle, self._idle = self._idle, []
        await asyncio.gather(*(connection.close() for connection in idle))

    # -------------------------------------------------------------- scheduling

    def _pump(self) -> None:
        while self._ready and self._active < self._max_connections and not self._closed:
            key = self._ready.popleft()
            self._active += 1
            task = asyncio.get_running_loop().create_task(self._send(key))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _wake(self, key: int) -> None:
        self._timers.pop(key, None)
        if key in self._queues:
            self._ready.append(key)
            self._pump()

    async def _send(self, key: int) -> None:
        try:
            await self._send_head(key)
        except Exception:  # a bug in a callback must not stop delivery
            log.exception("webhook delivery failed unexpectedly")
        finally:
            self._active -= 1
            self._pump()  # also after a cancellation by clear(): newer updates may wait

    async def _send_head(self, key: int) -> None:
        """Sends the first update of queue ``key`` and books the outcome."""
        queue = self._queues.get(key)
        if not queue:
            return
        item = queue[0]
        outcome = await self._attempt(item.body)
        if self._queues.get(key) is not queue:  # cleared meanwhile
            return
        if isinstance(outcome, WebhookResponse):
            queue.popleft()
            if queue:
                self._ready.append(key)
            else:
                del self._queues[key]
            self._delivered(item.update_id, outcome)
            return
        error, retry_after = outcome
        delay = self._next_delay(item, retry_after)
        log.debug("webhook: update %d: %s; retry in %.2fs", item.update_id, error, delay)
        if delay > 0:
            self._timers[key] = asyncio.get_running_loop().call_later(delay, self._wake, key)
        else:
            self._ready.append(key)
        self._failed(item.update_id, error)

    def _next_delay(self, item: _Pending, retry_after: int) -> float:
        """WebhookActor::on_update_error: Retry-After, else at once, then doubling."""
        delay: float = retry_after
        if retry_after == 0 and item.fail_count > 0:
            policy = self._policy
            item.delay = min(policy.backoff_max, max(item.delay * 2, policy.backoff_start))
            delay = item.delay
        item.fail_count += 1
        return delay

    # -------------------------------------------------------------- HTTP

    async def _attempt(self, body: bytes) -> WebhookResponse | tuple[str, int]:
        """One delivery: the 2xx answer, or (error message, Retry-After seconds)."""
        request = b"".join((self._head, str(len(body)).encode(), b"\r\n\r\n", body))
        connection: _Connection | None = None
        try:
            async with asyncio.timeout(self._policy.timeout):
                connection, response, keep_alive = await self._exchange(request)
        except TimeoutError:
            return TIMEOUT_EXPIRED, 0
        except (_NoResponse, asyncio.IncompleteReadError, ConnectionResetError):
            return CONNECTION_CLOSED, 0
        except _BadResponse as error:
            return f"Wrong response from the webhook: {error}", 0
        except ConnectionRefusedError:
            return "Connection refused", 0
        except socket.gaierror as error:
            return f"Failed to resolve host: {error.strerror}", 0
        except ssl.SSLError as error:
            return f"SSL error: {error.reason or error}", 0
        except OSError as error:
            return error.strerror or str(error) or type(error).__name__, 0
        except ValueError as error:  # a header line over the stream limit
            return f"Wrong response from the webhook: {error}", 0
        if keep_alive and not self._closed:
            self._idle.append(connection)
        else:
            connection.abort()
        if 200 <= response.status <= 299:
            return response
        wrong = f"Wrong response from the webhook: {response.status} {response.reason}"
        return wrong.rstrip(), _retry_after(response.headers)

    async def _exchange(self, request: bytes) -> tuple[_Connection, WebhookResponse, bool]:
        """Sends on an idle connection (or a new one if that turns out stale)."""
        while self._idle:
            connection = self._idle.pop()
            if not connection.usable():
                connection.abort()
                continue
            try:
                response, keep_alive = await connection.exchange(request)
            except _NoResponse:
                connection.abort()  # closed by the server while idle: try a fresh one
                break
            except BaseException:
                connection.abort()
                raise
            return connection, response, keep_alive
        connection = await self._connect()
        try:
            response, keep_alive = await connection.exchange(request)
        except BaseException:
            connection.abort()
            raise
        return connection, response, keep_alive

    async def _connect(self) -> _Connection:
        if self._https and self._ssl is None:
            self._ssl = ssl.create_default_context()
        if self._https:
            reader, writer = await asyncio.open_connection(
                self._host, self._port, ssl=self._ssl, server_hostname=self._host,
                limit=MAX_HEADER_LINE,
            )  # fmt: skip
        else:
            reader, writer = await asyncio.open_connection(
                self._host, self._port, limit=MAX_HEADER_LINE
            )
        peer = writer.get_extra_info("peername")
        if isinstance(peer, tuple) and peer:
            self.peer_ip = str(peer[0])
        return _Connection(reader, writer)
