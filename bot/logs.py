"""Logging set-up: one line per event, text or JSON; never the bot token, never contents.

The token. httpx logs every request URL at INFO, and Telegram URLs contain the token
(`/bot<token>/getUpdates`), so httpx and httpcore are kept at WARNING. But the token also
reaches exception texts (python-telegram-bot's `InvalidToken` quotes it) that the command
line prints and Python's traceback printer writes to stderr. So the one `Redactor` is used
twice: as a filter on every log record, and around `sys.stdout` and `sys.stderr`
themselves (`protect_output`), which every print and traceback goes through.

Message contents. At DEBUG python-telegram-bot logs every request's parameters (the texts of
private agendas) and every update it receives. Its loggers never go below INFO, whatever
`logging.level` says; the bot's own logs name ids and counts, never texts.
"""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TextIO, cast

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

CONTENT_LOGGERS = ("telegram",)
"""Loggers that write message texts at DEBUG: held at INFO or above."""

REDACTED = "<token>"
_MIN_SECRET = 8  # shorter "secrets" would blank out ordinary words


class Redactor:
    """Replaces the token, and its secret half (which also covers `%3A`-encoded URLs)."""

    def __init__(self, token: str | None) -> None:
        parts: Sequence[str | None] = (
            token,
            token.split(":", 1)[1] if token and ":" in token else None,
        )
        self.secrets = [s for s in parts if s and len(s) >= _MIN_SECRET]

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def __bool__(self) -> bool:
        return bool(self.secrets)


class RedactToken(logging.Filter):
    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.redact = Redactor(token)
        self.secrets = self.redact.secrets

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.redact:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class RedactingStream(io.TextIOBase):
    """A text stream that writes through to another one with the token removed."""

    def __init__(self, inner: TextIO, redact: Redactor) -> None:
        super().__init__()
        self.inner = inner
        self._redact = redact

    def write(self, text: str) -> int:
        self.inner.write(self._redact(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def fileno(self) -> int:
        return self.inner.fileno()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding


def protect_output(token: str | None) -> None:
    """Redact the token from everything written to stdout and stderr from now on."""
    redact = Redactor(token)
    if not redact:
        return
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, RedactingStream):
            stream = stream.inner
        setattr(sys, name, cast(TextIO, RedactingStream(stream, redact)))


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
    for name in CONTENT_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
