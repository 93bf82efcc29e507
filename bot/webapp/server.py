"""The Mini App over HTTP: one static page, its script and style, and a JSON API.

Served by the bot's own tornado server: in webhook mode beside the webhook route
(`bot.telegram.webhook`), in polling mode by a server of its own on `webapp.listen:port`
(`start_server`). Either way it sits behind the operator's TLS proxy, under the path
of `webapp.url`.

Every API request carries the Mini App's signed initData (`Authorization: tma ...`),
checked by `bot.webapp.init_data` before anything else; the rights are then checked
per call by `WebappApi`. The page loads nothing from anywhere else (a delegate's phone
on venue Wi-Fi may have no internet), which the Content-Security-Policy enforces.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tornado.httpserver import HTTPServer
from tornado.web import Application as TornadoApplication
from tornado.web import RequestHandler, StaticFileHandler

from bot.config import WebappSettings
from bot.storage.rooms import RoomStore
from bot.telegram.context import Services, viewer_for
from bot.webapp.api import ApiError, WebappApi
from bot.webapp.bilaterals import BilateralsProvider, NoBilaterals, ServiceBilaterals
from bot.webapp.init_data import InitDataError, verify

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Telegram's web client shows a Mini App in a frame; the phone apps open it directly.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
)
MAX_BODY = 16 * 1024


def _security_headers(handler: RequestHandler) -> None:
    handler.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("Referrer-Policy", "no-referrer")


class _PageHandler(RequestHandler):
    def set_default_headers(self) -> None:
        _security_headers(self)

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write((STATIC_DIR / "index.html").read_bytes())


class _StaticHandler(StaticFileHandler):
    def set_default_headers(self) -> None:
        _security_headers(self)


class _ApiHandler(RequestHandler):
    """One API call: initData first, then the named method of WebappApi."""

    def initialize(self, api: WebappApi, services: Services, token: str, call: str) -> None:
        self.api = api
        self.services = services
        self.token = token
        self.call = call

    def set_default_headers(self) -> None:
        _security_headers(self)
        self.set_header("Cache-Control", "no-store")

    def check_xsrf_cookie(self) -> None:
        # No cookies at all: every call is authorised by the initData header alone.
        pass

    async def get(self) -> None:
        if self.call in POST_CALLS:
            self._fail(405, "use POST")
            return
        await self._serve({})

    async def post(self) -> None:
        if self.call not in POST_CALLS:
            self._fail(405, "use GET")
            return
        if len(self.request.body) > MAX_BODY:
            self._fail(413, "request too large")
            return
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._fail(400, "the body must be a JSON object")
            return
        await self._serve(body)

    def _fail(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.write(json.dumps({"error": message}, ensure_ascii=False))

    async def _serve(self, body: dict[str, Any]) -> None:
        scheme, _, init_data = self.request.headers.get("Authorization", "").partition(" ")
        try:
            if scheme.lower() != "tma":
                raise InitDataError("no tma authorization")
            user = verify(init_data, self.token, self.services.clock.time())
        except InitDataError as refusal:
            logger.info("webapp: refused initData (%s)", refusal)
            self._fail(401, "Open this page from the bot's menu button in Telegram.")
            return
        viewer = await viewer_for(self.services, user.id, user.language_code)
        try:
            if self.call == "map-image":
                image = await self.api.map_image(viewer, self.get_argument("session", ""))
                try:
                    content = await asyncio.to_thread(image.path.read_bytes)
                except OSError:
                    logger.warning("webapp: cannot read the floor plan %s", image.path)
                    raise ApiError(404, image.missing) from None
                self.set_header("Content-Type", image.content_type)
                self.write(content)
                return
            result = await self._dispatch(viewer, body)
        except ApiError as error:
            self._fail(error.status, error.message)
            return
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.write(json.dumps(result, ensure_ascii=False))

    async def _dispatch(self, viewer: Any, body: dict[str, Any]) -> dict[str, Any]:
        api = self.api
        arg = self.get_argument
        text = _text_field
        match self.call:
            case "me":
                return await api.me(viewer)
            case "agenda":
                return await api.agenda(viewer, arg("day", None))
            case "programme":
                return await api.programme(viewer, arg("day", None), arg("q", None))
            case "attend":
                attending = body.get("attending")
                if not isinstance(attending, bool):
                    raise ApiError(400, "attending must be true or false")
                return await api.attend(viewer, text(body, "session"), attending)
            case "map":
                return await api.room_map(viewer, arg("session", ""))
            case "bilaterals":
                return await api.bilaterals(viewer)
            case "grid":
                return await api.grid(viewer, arg("day", None))
            case "move":
                return await api.move(viewer, text(body, "session"), text(body, "room"))
            case "reschedule":
                end = body.get("end")
                return await api.reschedule(
                    viewer,
                    text(body, "session"),
                    text(body, "start"),
                    end if isinstance(end, str) and end.strip() else None,
                )
            case "cancel":
                return await api.cancel(viewer, text(body, "session"))
            case "broadcasts":
                return await api.broadcasts(viewer)
            case "bookings":
                return await api.bookings(viewer, arg("day", None))
        raise ApiError(404, "no such call")  # pragma: no cover - routes name every call


def _text_field(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"{name} is missing")
    return value


GET_CALLS = (
    "me",
    "agenda",
    "programme",
    "map",
    "map-image",
    "bilaterals",
    "grid",
    "broadcasts",
    "bookings",
)
POST_CALLS = ("attend", "move", "reschedule", "cancel")


def prefix_of(url: str) -> str:
    """The path the Mini App lives under: that of `webapp.url` ("/app/" -> "/app")."""
    return urlparse(url).path.rstrip("/")


def routes(
    services: Services, token: str, url: str, bilaterals: BilateralsProvider | None = None
) -> list[Any]:
    """The Mini App's routes, for the bot's own server (webhook or polling mode)."""
    if bilaterals is None:
        enabled = services.settings.bilaterals.enabled
        bilaterals = ServiceBilaterals(services) if enabled else NoBilaterals()
    api = WebappApi(services, RoomStore(services.database), bilaterals)
    prefix = prefix_of(url)
    rules: list[Any] = [
        (f"{prefix}/", _PageHandler),
        (f"{prefix}/static/(app\\.js|app\\.css)", _StaticHandler, {"path": str(STATIC_DIR)}),
    ]
    for call in (*GET_CALLS, *POST_CALLS):
        rules.append(
            (
                f"{prefix}/api/{call}",
                _ApiHandler,
                {"api": api, "services": services, "token": token, "call": call},
            )
        )
    return rules


def start_server(services: Services, token: str, settings: WebappSettings) -> HTTPServer:
    """Polling mode: the Mini App's own server on webapp.listen:port (on the running loop)."""
    assert settings.url is not None
    server = HTTPServer(TornadoApplication(routes(services, token, settings.url)), xheaders=True)
    server.listen(settings.port, address=settings.listen)
    logger.info(
        "webapp: serving %s on %s:%d", prefix_of(settings.url) + "/", settings.listen, settings.port
    )
    return server
