"""Rushes under Telegram's flood control (the emulator's strict defaults: 30 a second with a
burst of 10, about one a second per chat): every person gets every answer, the broadcast
still arrives exactly once each, and — checked by the `emulator` fixture — the bot never
calls Telegram inside a window a 429 had closed."""

import asyncio
import statistics
import time

import pytest

from bot.sandbox.driver import BotMessage, Document, SimulatedUser
from tests.e2e.conftest import Summit, delegates_csv, launch
from tests.e2e.test_broadcast import confirm, received, wait_until
from tests.support.summit_files import DAY1, DAY2, SESSIONS_HEADER, at, to_csv

pytestmark = pytest.mark.e2e

FIRST_DAY = "Morning plenary"
SECOND_DAY = "Afternoon plenary"


def two_days(delegates: int) -> dict[str, bytes]:
    sessions = [
        SESSIONS_HEADER,
        ["m", FIRST_DAY, at(DAY1, "09:00"), at(DAY1, "10:00"), "Hall", "", "plenary", "", "", ""],
        ["a", SECOND_DAY, at(DAY2, "14:00"), at(DAY2, "15:00"), "Hall", "", "plenary", "", "", ""],
    ]
    return {"sessions.csv": to_csv(sessions), "delegates.csv": delegates_csv(delegates)}


async def rush(summit: Summit, ids: list[str], per_wave: int, every: float) -> list[SimulatedUser]:
    """People open their invite links `per_wave` at a time; returns them once all are welcomed."""
    users = [summit.new_user(d) for d in ids]
    for start in range(0, len(users), per_wave):
        wave = list(
            zip(users[start : start + per_wave], ids[start : start + per_wave], strict=True)
        )
        await asyncio.gather(*(u.send(f"/start {summit.codes[d]}") for u, d in wave))
        await asyncio.sleep(every)
    replies = await asyncio.gather(*(u.reply(timeout=90) for u in users))
    assert all("Welcome" in r.text for r in replies)
    summit.users.update(zip(ids, users, strict=True))
    return users


async def message_with(user: SimulatedUser, marker: str, timeout: float) -> BotMessage:
    """The first message containing `marker`, whatever else arrived around it."""
    deadline = time.monotonic() + timeout
    while True:
        for message in user.messages:
            if marker in message.text:
                return message
        assert time.monotonic() < deadline, f"no message with {marker!r}: {user.messages}"
        await asyncio.sleep(0.05)


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s"


async def test_opening_morning_and_agenda_during_a_broadcast(tmp_path, emulator):
    count = 700
    async with launch(tmp_path, emulator, two_days(count)) as summit:
        ids = [f"d{i:05d}" for i in range(count)]
        # 300 open their links within a few seconds, 30 at a time: every one is welcomed.
        first = await rush(summit, ids[:300], per_wave=30, every=0.3)
        others = await rush(summit, ids[300:], per_wave=50, every=0.5)
        everyone = first + others

        await confirm(summit.organizer, "/broadcast all Buses leave at 18:00 from Gate 2.")
        await wait_until(
            lambda: sum(received(u, "Buses leave") for u in everyone) >= 60, 30, "the broadcast"
        )
        # 200 ask for their agenda while the broadcast is going out.
        askers = first[:200]
        asked: dict[int, float] = {}
        for start in range(0, len(askers), 20):
            for user in askers[start : start + 20]:
                asked[user.user_id] = time.time()
                await user.send(f"/agenda {DAY1.isoformat()}")
            await asyncio.sleep(0.2)
        broadcast_running = sum(received(u, "Buses leave") for u in everyone) < count
        answers = await asyncio.gather(*(message_with(u, FIRST_DAY, 60) for u in askers))
        assert len(answers) == 200
        await wait_until(
            lambda: all(received(u, "Buses leave") >= 1 for u in everyone), 90, "everyone"
        )
        await asyncio.sleep(1.0)
        assert all(received(u, "Buses leave") == 1 for u in everyone)
        assert broadcast_running, "the /agenda rush should have overlapped the broadcast"
        # How long each waited: from asking to the emulator's record of the answer.
        answered: dict[int, float] = {}
        for record in emulator.requests:
            text = record.params.get("text", "")
            if record.method == "sendMessage" and record.status == 200 and FIRST_DAY in text:
                answered.setdefault(int(record.params["chat_id"]), record.time)
        latencies = [answered[chat] - asked[chat] for chat in asked]
        throttled = emulator.stats.get("429", 0)
        print(f"/agenda during the broadcast: {summary(latencies)}; 429s: {throttled}")


async def test_buttons_calendars_and_a_hurried_delegate(tmp_path, emulator):
    count = 81
    async with launch(tmp_path, emulator, two_days(count)) as summit:
        users = await summit.register_all([f"d{i:05d}" for i in range(count)])
        pressers, hurried = users[:80], users[80]
        for user in pressers:
            await user.send(f"/agenda {DAY1.isoformat()}")
        shown = await asyncio.gather(*(message_with(u, FIRST_DAY, 30) for u in pressers))

        # 80 delegates press the next-day button and ask for /calendar at the same time.
        async def press_and_ask(user: SimulatedUser, message: BotMessage) -> None:
            await asyncio.gather(
                user.press(message, message.button_texts()[-1], timeout=60),
                user.send("/calendar"),
            )

        await asyncio.gather(*(press_and_ask(u, m) for u, m in zip(pressers, shown, strict=True)))
        edits = await asyncio.gather(
            *(u.wait_edit(m, timeout=60) for u, m in zip(pressers, shown, strict=True))
        )
        assert all(SECOND_DAY in e.text for e in edits)

        async def calendar_of(user: SimulatedUser) -> Document:
            deadline = time.monotonic() + 60
            while not any(m.document for m in user.messages):
                assert time.monotonic() < deadline, user.messages
                await asyncio.sleep(0.05)
            return next(m.document for m in user.messages if m.document)

        files = await asyncio.gather(*(calendar_of(u) for u in pressers))
        assert all(f.file_name == "summit-agenda.ics" for f in files)

        # One delegate sends eight commands in three seconds and gets eight answers.
        before = len(hurried.messages)
        commands = ["/help", f"/agenda {DAY1.isoformat()}", "/next", "/help"] * 2
        for command in commands:
            await hurried.send(command)
            await asyncio.sleep(3 / len(commands))
        answers = await hurried.replies(len(commands), timeout=30)
        assert len(answers) == 8
        assert FIRST_DAY in answers[1].text and FIRST_DAY in answers[5].text
        await hurried.no_reply(within=1.0)
        assert len(hurried.messages) == before + 8
        print(f"429s: {emulator.stats.get('429', 0)}")
