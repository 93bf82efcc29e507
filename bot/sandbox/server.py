"""The emulator's HTTP side: tornado routes for the Bot API and for file downloads.

``/bot<token>/<method>`` (GET or POST) reads the parameters and hands them to the
emulator's dispatcher; ``/file/bot<token>/<path>`` serves what getFile pointed to. A
client that hangs up while its long poll is held is noticed (``closed``), so the poll
ends and its answer is not written to a dead connection.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.sandbox.args import read_args
from bot.sandbox.errors import ApiError
from bot.sandbox.files import MAX_UPLOAD_BYTES

if TYPE_CHECKING:
    from bot.sandbox.emulator import TelegramEmulator


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


def listen(
    emulator: TelegramEmulator, host: str, port: int
) -> tuple[tornado.httpserver.HTTPServer, int]:
    """Serves the emulator on ``host:port`` (0: any free port); returns the server and port."""
    app = tornado.web.Application(
        [
            (r"/bot([^/]*)/([^/]*)", _ApiHandler, {"emulator": emulator}),
            (r"/file/bot([^/]*)/(.+)", _FileHandler, {"emulator": emulator}),
        ],
        log_function=lambda handler: None,
    )
    server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_UPLOAD_BYTES + 2**20)
    sockets = tornado.netutil.bind_sockets(port, address=host)
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]
