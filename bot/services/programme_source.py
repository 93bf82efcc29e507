"""Keeping the programme in sync with a published schedule URL (`[programme] source_url`).

One fetch is bounded every way a remote server could hurt the bot: http(s) only, a
timeout, a few redirects, and at most `MAX_FILE_BYTES` read. Polls are conditional
(`If-None-Match` / `If-Modified-Since`), so an unchanged schedule costs one small request.

What was fetched goes through `import_files` exactly like a file (same checks, same
one-message-per-delegate notices, same audit entry) with the URL as the sessions' source:
an event that disappears from it is cancelled. A failed fetch or an invalid file changes
nothing in the programme; its error is recorded for `/stats` and `summitbot status`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx

from bot import __version__
from bot.clock import Clock
from bot.importers import MAX_FILE_BYTES
from bot.importers.report import ImportReport
from bot.services.imports import SourceFile, import_files
from bot.services.notices import NoticeSettings
from bot.storage import sources
from bot.storage.database import Database

logger = logging.getLogger(__name__)

FETCH_TIMEOUT = 30.0
MAX_REDIRECTS = 5
MAX_ERROR_LENGTH = 500


class FetchFailed(Exception):
    """The source could not be fetched; the text says why (HTTP status, network, size)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes | None
    """None when the server said 304 Not Modified."""
    etag: str | None
    last_modified: str | None


def url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{url!r} is not an http(s) URL — only http:// and https:// sources are fetched"
    return None


async def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    time_limit: float = FETCH_TIMEOUT,
    max_bytes: int = MAX_FILE_BYTES,
) -> Fetched:
    problem = url_problem(url)
    if problem:
        raise FetchFailed(problem)
    headers = {"User-Agent": f"summitbot/{__version__}"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with (
            httpx.AsyncClient(
                timeout=time_limit, follow_redirects=True, max_redirects=MAX_REDIRECTS
            ) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code == 304:
                return Fetched(None, None, None)
            if response.status_code != 200:
                raise FetchFailed(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchFailed(_too_big(max_bytes))
            body = bytearray()
            # Decoded bytes are counted as they arrive: a small gzip bomb stops at the limit.
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise FetchFailed(_too_big(max_bytes))
            return Fetched(
                bytes(body),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
    except httpx.TooManyRedirects:
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.UnsupportedProtocol:
        raise FetchFailed("redirected to a URL that is not http(s)") from None
    except httpx.TimeoutException:
        raise FetchFailed(f"no complete answer within {time_limit:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchFailed(f"cannot be fetched ({type(exc).__name__}: {exc})") from None


def _too_big(max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        return f"the schedule is larger than {max_bytes / 1024 / 1024:g} MB"
    return f"the schedule is larger than {max_bytes:,} bytes"


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    url: str
    applied: bool
    """True when a new version was imported; False when unchanged (304) or failed."""
    error: str = ""
    report: ImportReport | None = None

    @property
    def ok(self) -> bool:
        return not self.error


async def sync_once(
    database: Database,
    url: str,
    venue_tz: ZoneInfo,
    now: datetime,
    *,
    notices: NoticeSettings | None,
    actor: str,
    conditional: bool = True,
    time_limit: float = FETCH_TIMEOUT,
    clock: Clock | None = None,
) -> SyncOutcome:
    """Fetch `url` once and apply it; record the outcome as the source's state."""
    known = await sources.state(database, url)
    try:
        fetched = await fetch(
            url,
            etag=known.etag if conditional else "",
            last_modified=known.last_modified if conditional else "",
            time_limit=time_limit,
        )
    except FetchFailed as failure:
        await sources.record_error(database, url, now, str(failure)[:MAX_ERROR_LENGTH])
        return SyncOutcome(url, applied=False, error=str(failure))
    if fetched.data is None:
        await sources.record_success(database, url, now, None, None)
        return SyncOutcome(url, applied=False)
    report = await import_files(
        database,
        [SourceFile(url, fetched.data)],
        venue_tz,
        notices=notices,
        actor=actor,
        source=url,
        clock=clock,
    )
    if not report.ok:
        first = str(report.errors[0])
        more = f" (and {len(report.errors) - 1} more)" if len(report.errors) > 1 else ""
        error = f"invalid schedule: {first}{more}"[:MAX_ERROR_LENGTH]
        await sources.record_error(database, url, now, error)
        return SyncOutcome(url, applied=False, error=error, report=report)
    await sources.record_success(
        database, url, now, fetched.etag or "", fetched.last_modified or ""
    )
    return SyncOutcome(url, applied=True, report=report)


class ProgrammeSync:
    """Polls the source URL every `poll_minutes` while the bot runs."""

    def __init__(
        self,
        database: Database,
        url: str,
        poll_minutes: float,
        venue_tz: ZoneInfo,
        notices: NoticeSettings,
        clock: Clock,
        on_change: Callable[[], None],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.database = database
        self.url = url
        self.interval = poll_minutes * 60
        self.venue_tz = venue_tz
        self.notices = notices
        self.clock = clock
        self.on_change = on_change
        # The wait between polls; tests pass one that does not wait on the real clock.
        self._sleep = sleep
        self._task: asyncio.Task[None] | None = None
        self.polls = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="programme-sync")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def poll(self) -> SyncOutcome:
        outcome = await sync_once(
            self.database,
            self.url,
            self.venue_tz,
            self.clock.now(),
            notices=self.notices,
            actor="source",
            time_limit=min(FETCH_TIMEOUT, max(self.interval, 5.0)),
            clock=self.clock,
        )
        self.polls += 1
        if outcome.error:
            logger.warning("programme source %s: %s", self.url, outcome.error)
        elif outcome.applied and outcome.report is not None:
            report = outcome.report
            logger.info(
                "programme source %s: %d added, %d changed, %d cancelled",
                self.url,
                report.sessions.added,
                report.sessions.changed,
                report.cancelled,
            )
            self.on_change()
        return outcome

    async def _run(self) -> None:
        while True:
            try:
                await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception:
                # A bug here must not stop the bot, nor the next poll.
                logger.exception("programme source %s: poll failed", self.url)
            await self._sleep(self.interval)
