"""`summitbot status`: what the database says about the bot's health, for people and cron."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.reminders import DueGroup
from bot.domain.sources import SourceState
from bot.i18n import Catalogs
from bot.services.reminders import Reminders
from bot.storage import health as numbers
from bot.storage import lost_replies, sources
from bot.storage.database import Database


@dataclass(frozen=True, slots=True)
class Health:
    registered: int
    delegates: int
    unreachable: int
    last_hour: dict[str, int]
    waiting: int
    oldest_wait: timedelta | None
    next_reminders: list[DueGroup]
    stuck_after: timedelta
    replies_lost_last_hour: int = 0
    replies_lost: int = 0

    @property
    def stuck(self) -> bool:
        return self.oldest_wait is not None and self.oldest_wait > self.stuck_after


async def check(
    database: Database, catalogs: Catalogs, lead: int, stuck_after: timedelta, now: datetime
) -> Health:
    # `now` stands for the moment of the check throughout: the outbox's times are
    # compared with it as they were with the system clock before.
    moment = now.timestamp()
    people = await numbers.registrations(database)
    hour_ago = moment - 3600
    last_hour = await numbers.outbox_states_since(database, hour_ago)
    # A message is late from the moment it was due (reminders may be queued ahead of time).
    waiting, oldest_due = await numbers.overdue(database, moment)
    oldest = timedelta(seconds=max(0.0, moment - oldest_due)) if oldest_due is not None else None
    groups = await Reminders(database, catalogs, lead, discreet=True).due_groups(now)
    return Health(
        registered=people.registered,
        delegates=people.delegates,
        unreachable=people.unreachable,
        last_hour=last_hour,
        waiting=waiting,
        oldest_wait=oldest,
        next_reminders=sorted(groups, key=lambda g: g.due)[:3],
        stuck_after=stuck_after,
        replies_lost_last_hour=await lost_replies.count(database, hour_ago),
        replies_lost=await lost_replies.count(database),
    )


def report_lines(health: Health, zone: object) -> list[str]:
    def minutes(delta: timedelta) -> str:
        return f"{delta.total_seconds() / 60:.1f} min"

    counts = health.last_hour
    lines = [
        f"delegates registered: {health.registered} of {health.delegates}"
        f" ({health.unreachable} unreachable)",
        "messages in the last hour: "
        + ", ".join(
            f"{state} {counts.get(state, 0)}"
            for state in ("waiting", "sending", "sent", "failed", "unreachable")
        ),
        f"messages waiting now: {health.waiting}"
        + (f", the oldest for {minutes(health.oldest_wait)}" if health.oldest_wait else ""),
        f"replies lost (Telegram refused them until the deadline): "
        f"{health.replies_lost_last_hour} in the last hour, {health.replies_lost} in all",
    ]
    if health.next_reminders:
        due = ", ".join(
            f"{g.due.astimezone(zone).strftime('%Y-%m-%d %H:%M')} ({g.count})"  # type: ignore[arg-type]
            for g in health.next_reminders
        )
        lines.append(f"next reminders due: {due}")
    else:
        lines.append("next reminders due: none")
    if health.stuck:
        assert health.oldest_wait is not None
        lines.append(
            f"DELIVERY STUCK: a message has waited {minutes(health.oldest_wait)} "
            f"(limit {minutes(health.stuck_after)}) — is `summitbot run` running and able "
            "to reach Telegram? See its log."
        )
    else:
        lines.append("delivery: OK")
    return lines


async def source_state(database: Database, url: str) -> SourceState:
    """What the bot last saw of the programme source at `url` (for /stats)."""
    return await sources.state(database, url)


async def lost_reply_count(database: Database) -> int:
    """Replies Telegram never took, however often they were retried (for /stats)."""
    return await lost_replies.count(database)
