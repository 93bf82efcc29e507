"""Reminder and digest jobs on python-telegram-bot's JobQueue, derived from SQLite.

The database is the truth; jobs are rebuilt from it at start-up and re-planned whenever
sessions, attendance or a delegate's lead time change (debounced, so an import of 500
rows re-plans once). A job carries only the instant it serves, never objects.

`misfire_grace_time=None` is deliberate: APScheduler's default of one second silently
skips a job that starts late (a busy event loop, a suspended laptop), and a late reminder
is still useful as long as its session has not begun — which the job itself checks.

Another process (`summitbot import`) may change the database: a watcher compares
`PRAGMA data_version` every WATCH_EVERY seconds and re-plans and wakes the delivery
worker when it moved, so the notices that import queued go out within seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from telegram.ext import CallbackContext, JobQueue

from bot.clock import Clock
from bot.domain.reminders import plan_runs
from bot.services.reminders import Digests, Reminders
from bot.storage.database import Database

logger = logging.getLogger(__name__)

REMINDER_JOB = "reminders"
DIGEST_JOB = "digest"
REPLAN_DELAY = 0.5
WATCH_EVERY = 1.0
# A digest missed while the bot was down is still sent this long after its time.
DIGEST_CATCH_UP = timedelta(hours=3)
JOB_OPTIONS = {"misfire_grace_time": None, "coalesce": True}


class Scheduler:
    def __init__(
        self,
        job_queue: JobQueue[Any],
        database: Database,
        reminders: Reminders,
        digests: Digests,
        *,
        rate: float,
        digest_time: time | None,
        clock: Clock,
        wake_delivery: Callable[[], None],
    ) -> None:
        self.job_queue = job_queue
        self.database = database
        self.reminders = reminders
        self.digests = digests
        self.rate = rate
        self.digest_time = digest_time
        self.clock = clock
        self.wake_delivery = wake_delivery
        self._replan = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.planned_runs = 0

    async def start(self) -> None:
        """Catch up on what fell due while the bot was down, then plan what comes."""
        now = self.clock.now()
        caught_up = await self.reminders.send_due(now, now)
        if caught_up:
            logger.info("sent %d reminder(s) that fell due while the bot was down", caught_up)
        await self._catch_up_digest(now)
        await self.replan()
        if self.digest_time is not None:
            self.job_queue.run_daily(self._digest_job, time=self.digest_time, name=DIGEST_JOB)
        self._tasks = [
            asyncio.create_task(self._replanner(), name="reminder-replanner"),
            asyncio.create_task(self._watch_database(), name="database-watcher"),
        ]
        self.wake_delivery()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def request_replan(self) -> None:
        """Something changed: re-plan soon (many requests in a burst re-plan once)."""
        self._replan.set()

    async def replan(self) -> int:
        started = self.clock.monotonic()
        now = self.clock.now()
        groups = await self.reminders.due_groups(now)
        runs = plan_runs(groups, self.rate)
        for job in self.job_queue.get_jobs_by_name(REMINDER_JOB):
            job.schedule_removal()
        for run in runs:
            self.job_queue.run_once(
                self._reminder_job,
                when=max(run.run_at, now + timedelta(milliseconds=10)),
                data=run.target,
                name=REMINDER_JOB,
                job_kwargs=JOB_OPTIONS,
            )
        self.planned_runs = len(runs)
        logger.info(
            "planned %d reminder runs for %d reminders in %.2f s",
            len(runs),
            sum(group.count for group in groups),
            self.clock.monotonic() - started,
        )
        return len(runs)

    async def _reminder_job(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert context.job is not None
        target = context.job.data
        assert isinstance(target, datetime)
        queued = await self.reminders.send_due(target, self.clock.now())
        if queued:
            self.wake_delivery()

    async def _digest_job(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        del context
        today = self.clock.now().astimezone(self._zone()).date()
        if await self.digests.send_for_day(today):
            self.wake_delivery()

    async def _catch_up_digest(self, now: datetime) -> None:
        if self.digest_time is None:
            return
        local = now.astimezone(self._zone())
        due = datetime.combine(local.date(), self.digest_time.replace(tzinfo=None), self._zone())
        if due <= local < due + DIGEST_CATCH_UP and await self.digests.send_for_day(local.date()):
            self.wake_delivery()

    def _zone(self) -> Any:
        return self.digest_time.tzinfo if self.digest_time else None

    async def _replanner(self) -> None:
        while True:
            await self._replan.wait()
            await asyncio.sleep(REPLAN_DELAY)
            self._replan.clear()
            try:
                await self.replan()
            except Exception:
                logger.exception("could not re-plan reminders; will try at the next change")

    async def _watch_database(self) -> None:
        last = await self.database.data_version()
        while True:
            await asyncio.sleep(WATCH_EVERY)
            try:
                version = await self.database.data_version()
            except Exception:
                logger.exception("could not read the database's data_version")
                continue
            if version != last:
                last = version
                self.request_replan()
                self.wake_delivery()
