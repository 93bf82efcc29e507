"""Reminders in real time, through the real bot process and the emulator."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import launch
from tests.support.summit_files import VENUE, to_csv

pytestmark = pytest.mark.e2e


def files_with_session_at(start: datetime) -> dict[str, bytes]:
    local = start.astimezone(VENUE)
    stamp = local.strftime("%Y-%m-%dT%H:%M:%S")
    end = (local + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S")
    return {
        "sessions.csv": to_csv(
            [
                ["id", "title", "start", "end", "room"],
                ["brief", "Logistics briefing", stamp, end, "Room C"],
            ]
        ),
        "delegates.csv": to_csv(
            [
                ["id", "name", "delegation"],
                ["alice", "Alice Arnaud", "Xandria"],
                ["bob", "Bob Brown", "Yoland"],
            ]
        ),
        "attendance.csv": to_csv([["delegate_id", "session_id"], ["alice", "brief"]]),
    }


LEAD = '[reminders]\nlead_minutes = 1\ndigest_time = ""\n'


async def test_one_reminder_at_the_right_second(tmp_path, emulator):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=90)
    async with launch(
        tmp_path, emulator, files_with_session_at(start), extra_config=LEAD
    ) as summit:
        alice = await summit.register("alice")
        bob = await summit.register("bob")
        due = start - timedelta(minutes=1)
        reminder = await alice.reply(timeout=(due - datetime.now(UTC)).total_seconds() + 10)
        arrived = datetime.now(UTC)
        assert "Logistics briefing" in reminder.text and "Room C" in reminder.text
        assert abs((arrived - due).total_seconds()) <= 2, f"arrived {arrived}, due {due}"
        await alice.no_reply(within=2)
        await bob.no_reply(within=0.1)


async def test_a_reminder_due_while_the_bot_was_down_is_sent_once_after_restart(tmp_path, emulator):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=80)
    async with launch(
        tmp_path, emulator, files_with_session_at(start), extra_config=LEAD
    ) as summit:
        alice = await summit.register("alice")
        await asyncio.sleep(1)  # the registration re-plans reminders
        await summit.bot.stop()
        due = start - timedelta(minutes=1)
        await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 3)
        await summit.restart()
        reminder = await alice.reply(timeout=10)
        assert "Logistics briefing" in reminder.text
        assert datetime.now(UTC) < start
        await summit.bot.stop()
        await summit.restart()
        await alice.no_reply(within=2)  # the ledger remembers it was sent
