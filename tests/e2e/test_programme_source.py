"""`[programme] source_url` through the real bot: it polls a local HTTP server and delegates
hear about what changed there, exactly once; a failing source shows in `/stats`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.sandbox.emulator import TelegramEmulator
from tests.e2e.conftest import launch
from tests.support.schedule_server import ScheduleServer
from tests.support.summit_files import summit_files

pytestmark = pytest.mark.e2e


def schedule(cyber_room: str | None) -> bytes:
    """The summit's cyber panel as a schedule publishes it (or not at all), plus a talk."""
    cyber = (
        ""
        if cyber_room is None
        else f"<room name='{cyber_room}'><event guid='cyber' id='1'>"
        "<title>Cyber defense &amp; &lt;resilience&gt;</title><track>Cyber</track>"
        "<type>panel</type><date>2030-06-10T11:00:00+03:00</date><duration>01:30</duration>"
        "</event></room>"
    )
    return (
        "<schedule><conference><time_zone_name>Asia/Riyadh</time_zone_name></conference>"
        f"<day date='2030-06-10' index='1'>{cyber}<room name='Room C'>"
        "<event guid='0f9d5c3a-7d0e-4f53-9a57-6a1f0d1f2a10' id='2'><title>Research talk</title>"
        "<date>2030-06-10T16:00:00+03:00</date><duration>00:45</duration></event>"
        "</room></day></schedule>"
    ).encode()


@pytest.fixture
def server() -> Iterator[ScheduleServer]:
    with ScheduleServer() as running:
        yield running


async def eventually(check, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.2)


async def test_the_bot_follows_its_source_url(
    tmp_path: Path, emulator: TelegramEmulator, server: ScheduleServer
) -> None:
    server.publish(schedule("Room A"), '"1"')
    extra = f'[programme]\nsource_url = "{server.url}"\npoll_minutes = 0.05\n'
    async with launch(
        tmp_path, emulator, summit_files(datetime.now(UTC)), extra_config=extra
    ) as summit:

        async def polled() -> bool:
            return len(server.published.requests) >= 1

        await eventually(polled)
        alice = await summit.register("alice")

        # The source moves the cyber panel: Alice, who attends it, is told once.
        server.publish(schedule("Room Q"), '"2"')
        notice = await alice.reply(timeout=20)
        assert "Room A → Room Q" in notice.text
        # The source drops it: cancelled (not deleted), and she is told.
        server.publish(schedule(None), '"3"')
        cancelled = await alice.reply(timeout=20)
        assert "Cancelled" in cancelled.text and "Cyber defense" in cancelled.text

        # A failing source changes nothing and shows in the organizer's /stats.
        server.published.status = 500
        seen = len(server.published.requests)

        async def failed_once() -> bool:
            return len(server.published.requests) > seen + 1

        await eventually(failed_once)
        await summit.organizer.send("/stats")
        stats = (await summit.organizer.reply()).text
        assert f"Programme source: {server.url}" in stats
        assert "Last error of the source" in stats and "HTTP 500" in stats
        await asyncio.sleep(1)
        notices = [m.text for m in alice.messages if "Programme change" in m.text]
        assert len(notices) == 2  # each change once, however often the source was polled
        await alice.send("/agenda 2030-06-10")
        agenda = (await alice.reply()).text
        assert "Cyber defense & <resilience> — cancelled" in agenda  # kept, marked cancelled
