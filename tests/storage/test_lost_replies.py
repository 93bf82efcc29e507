"""Replies the governor gave up: stored without their text, shown by /stats and status."""

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Catalogs
from bot.services.health import check, report_lines
from bot.storage import lost_replies
from bot.storage.database import Database
from bot.views import broadcast as views

VENUE = ZoneInfo("Asia/Riyadh")


async def test_lost_replies_are_counted_in_status_and_stats(tmp_path):
    database = await Database.open(tmp_path / "summit.db")
    try:
        now = time.time()
        await lost_replies.record(database, now - 7200, "sendMessage", "429, past deadline")
        await lost_replies.record(database, now, "editMessageText", "TimedOut: not repeated")
        assert await lost_replies.count(database) == 2
        assert await lost_replies.count(database, now - 3600) == 1

        catalogs = Catalogs.load(VENUE)
        health = await check(database, catalogs, 15, timedelta(minutes=10), datetime.now(UTC))
        lines = report_lines(health, VENUE)
        assert (
            "replies lost (Telegram refused them until the deadline): 1 in the last hour, 2 in all"
            in lines
        )

        t = catalogs.get("en")
        text = views.stats(t, 1, 2, {}, 0, lost_replies=2).text
        assert "Replies that could not be delivered: 2" in text
    finally:
        await database.close()
