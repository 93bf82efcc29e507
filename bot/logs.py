"""Logging set-up: one line per event, text or JSON, and never the bot token.

httpx logs every request URL at INFO, and Telegram URLs contain the token
(`/bot<token>/getUpdates`), so httpx and httpcore are kept at WARNING and, in case
anything else ever formats a URL into a message, a filter replaces the token with
`<token>` in every record that reaches the handler.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

from bot.config import LoggingSettings

NOISY_LOGGERS = (
    "httpx",
    "httpcore",
    "aiosqlite",
    "asyncio",
    "apscheduler",
    "telegram.ext.Updater",
    "tornado.access",
)


class RedactToken(logging.Filter):
    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.secrets = [
            s for s in (token, token.split(":", 1)[1] if token and ":" in token else None) if s
        ]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        redacted = message
        exc_text = record.exc_text or ""
        for secret in self.secrets:
            redacted = redacted.replace(secret, "<token>")
            exc_text = exc_text.replace(secret, "<token>")
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_text:
            record.exc_text = exc_text
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info or record.exc_text:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(
    settings: LoggingSettings, token: str | None, stream: TextIO | None = None
) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactToken(token))
    if settings.format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
