"""Webhook mode: Telegram POSTs updates here, and the reply rides back in the response.

The Bot API lets a webhook answer with one method call in the response body
(`{"method": "sendMessage", ...}`), which Telegram executes: one HTTP exchange per
update instead of two. python-telegram-bot's own webhook server always answers with an
empty 200, so this is a small server of our own (tornado, which PTB's webhook extra
already brings), as PTB's documentation suggests for custom webhook setups.

While an update is handled, a `ReplySlot` in a context variable holds the handler's first
reply instead of sending it. If the handler sends anything else, the held reply is sent
through the API first, so the order of messages never changes; only a reply that is the
last thing an update produced travels in the response. Every request must carry the
secret token (`X-Telegram-Bot-Api-Secret-Token`); anything else gets 403.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.web import Application as TornadoApplication
from tornado.web import RequestHandler

from bot.telegram.application import start_embedded_without_polling, stop_embedded
from bot.telegram.context import BotApplication
from bot.telegram.webhook_slot import CURRENT_SLOT, ReplySlot
from bot.webapp.server import routes as webapp_routes

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class _UpdateHandler(RequestHandler):
    # tornado passes its own `application` to handlers: ours needs another name.
    def initialize(self, bot_application: BotApplication, secret: str) -> None:
        self.bot_application = bot_application
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_application.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(400)
            return
        slot = ReplySlot()
        token = CURRENT_SLOT.set(slot)
        try:
            application = self.bot_application
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        finally:
            CURRENT_SLOT.reset(token)
        if slot.payload is not None:
            self.set_header("Content-Type", "application/json")
            self.write(json.dumps(slot.payload, ensure_ascii=False))


async def serve(
    application: BotApplication,
    *,
    listen: str,
    port: int,
    webhook_url: str,
    secret: str,
    allowed_updates: list[str],
) -> None:
    """Run the bot in webhook mode until SIGINT or SIGTERM, then shut down cleanly."""
    await start_embedded_without_polling(application)
    server: HTTPServer | None = None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        path = urlparse(webhook_url).path or "/"
        rules: list[Any] = [
            (path, _UpdateHandler, {"bot_application": application, "secret": secret})
        ]
        services = application.bot_data.services
        if services is not None and services.settings.webapp.url:
            # The Mini App rides on the same server as the webhook (bot.webapp.server).
            rules += webapp_routes(services, application.bot.token, services.settings.webapp.url)
        routes = TornadoApplication(rules)
        server = HTTPServer(routes, xheaders=True)
        server.listen(port, address=listen)
        await application.bot.set_webhook(
            webhook_url, secret_token=secret, allowed_updates=allowed_updates
        )
        logger.info("webhook mode: listening on %s:%d%s", listen, port, path)
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        if server is not None:
            server.stop()
            await server.close_all_connections()
        await stop_embedded(application)
