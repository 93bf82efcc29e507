"""Running it for real: backups while busy, health for monitoring, stopping mid-broadcast."""

import asyncio
import sqlite3
import time

import pytest

from tests.e2e.conftest import allowing, launch
from tests.e2e.test_broadcast import confirm, programme_for, received, wait_until
from tests.support.bot_process import summitbot

pytestmark = pytest.mark.e2e

SLOW = "[delivery]\nmessages_per_second = 50\n"


async def test_backup_during_a_broadcast_restores_everything_committed_before(tmp_path, emulator):
    count = 400
    emulator.rate_limits = allowing(60)  # the bot is configured for 50 a second
    async with launch(tmp_path, emulator, programme_for(count), extra_config=SLOW) as summit:
        users = await summit.register_all([f"d{i:05d}" for i in range(count)])
        await confirm(summit.organizer, "/broadcast all Shuttle to the venue at 08:00.")
        await wait_until(lambda: sum(received(u, "Shuttle") for u in users) >= 50, 20, "delivery")
        source = sqlite3.connect(summit.directory / "summit.db")
        committed = source.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        registered = source.execute("SELECT COUNT(*) FROM telegram_user").fetchone()[0]
        source.close()
        copy = tmp_path / "backup" / "summit-copy.db"
        copy.parent.mkdir()
        result = await summitbot("backup", "--config", str(summit.config), str(copy))
        assert result.code == 0, result.stderr
        assert "integrity ok" in result.stdout
        again = await summitbot("backup", "--config", str(summit.config), str(copy))
        assert again.code == 2 and "already exists" in again.stderr
        restored = sqlite3.connect(copy)
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert restored.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] >= committed
        assert restored.execute("SELECT COUNT(*) FROM telegram_user").fetchone()[0] == registered
        states = dict(restored.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state"))
        restored.close()
        assert states.get("sent", 0) >= 50 and sum(states.values()) >= count


async def test_status_is_ok_while_healthy_and_fails_when_delivery_is_stuck(summit):
    await summit.register("alice")
    healthy = await summitbot("status", "--config", str(summit.config))
    assert healthy.code == 0, healthy.stderr
    assert "delegates registered: 1 of 5" in healthy.stdout
    assert "delivery: OK" in healthy.stdout
    assert "next reminders due:" in healthy.stdout
    await summit.bot.stop()
    database = sqlite3.connect(summit.directory / "summit.db")
    with database:
        database.execute(
            "INSERT INTO outbox (chat_id, kind, priority, text, due_at, created_at) "
            "VALUES (1001, 'broadcast', 3, 'late', ?, ?)",
            (time.time() - 1200, time.time() - 1200),
        )
    database.close()
    stuck = await summitbot("status", "--config", str(summit.config))
    assert stuck.code == 1
    assert "DELIVERY STUCK" in stuck.stdout and "limit 10.0 min" in stuck.stdout
    await summit.restart()
    await summit.users["alice"].reply(timeout=10)  # the late message goes out
    await asyncio.sleep(0.5)
    recovered = await summitbot("status", "--config", str(summit.config))
    assert recovered.code == 0, recovered.stdout


async def test_sigterm_mid_broadcast_then_start_loses_nothing_and_repeats_nothing(
    tmp_path, emulator
):
    count = 300
    emulator.rate_limits = allowing(60)  # the bot is configured for 50 a second
    async with launch(tmp_path, emulator, programme_for(count), extra_config=SLOW) as summit:
        users = await summit.register_all([f"d{i:05d}" for i in range(count)])
        await confirm(summit.organizer, "/broadcast all Lunch moves to 13:30.")
        await wait_until(lambda: sum(received(u, "Lunch moves") for u in users) >= 60, 20, "some")
        assert await summit.bot.stop() == 0
        database = sqlite3.connect(summit.directory / "summit.db")
        in_flight = database.execute(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sending'"
        ).fetchone()
        database.close()
        assert in_flight[0] == 0  # a graceful stop leaves nothing half-sent
        await summit.restart()
        await wait_until(lambda: all(received(u, "Lunch moves") >= 1 for u in users), 30, "all")
        await asyncio.sleep(1)
        assert all(received(u, "Lunch moves") == 1 for u in users)
