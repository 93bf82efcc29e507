"""Broadcasts and urgent notices through the real bot process, with the emulator strict."""

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.sandbox.driver import SimulatedUser
from bot.sandbox.emulator import Faults
from tests.e2e.conftest import Summit, allowing, delegates_csv, launch
from tests.support.summit_files import DAY1, at, to_csv

pytestmark = pytest.mark.e2e

# Faster than the default 30/s, which these tests' bots are configured above: applied from
# the start (registration included), as a bot configured faster than its Telegram allows
# would be flooding it by design.
STRICT = allowing(250, per_chat_burst=3)


def programme_for(count: int) -> dict[str, bytes]:
    sessions = to_csv(
        [
            ["id", "title", "start", "end", "room", "track"],
            ["p", "Panel", at(DAY1, "10:00"), at(DAY1, "11:00"), "A", "Cyber"],
        ]
    )
    attendance = to_csv(
        [["delegate_id", "session_id"], *[[f"d{i:05d}", "p"] for i in range(0, count, 2)]]
    )
    return {
        "sessions.csv": sessions,
        "delegates.csv": delegates_csv(count),
        "attendance.csv": attendance,
    }


@asynccontextmanager
async def crowd(
    tmp_path, emulator, count: int, *, rate: int
) -> AsyncIterator[tuple[Summit, list[SimulatedUser]]]:
    """`count` delegates registered, Telegram's limits strict, the bot sending at `rate`."""
    emulator.rate_limits = STRICT
    extra = f"[delivery]\nmessages_per_second = {rate}\n"
    async with launch(tmp_path, emulator, programme_for(count), extra_config=extra) as summit:
        yield summit, await summit.register_all([f"d{i:05d}" for i in range(count)])


async def confirm(organizer, command: str) -> None:
    await organizer.send(command)
    preview = await organizer.reply()
    assert preview.buttons, preview.text
    await organizer.press(preview, preview.buttons[0][0].text)
    await organizer.wait_edit(preview)


async def wait_until(predicate, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def received(user, marker: str) -> int:
    return sum(marker in m.text for m in user.messages)


async def test_two_thousand_get_it_exactly_once_and_urgent_goes_first(tmp_path, emulator):
    count = 2000
    async with crowd(tmp_path, emulator, count, rate=200) as (summit, users):
        await confirm(summit.organizer, "/broadcast all Buses leave at 18:00 from Gate 2 & Gate 3.")
        await asyncio.sleep(2.0)
        await confirm(summit.organizer, "/urgent all Shelter in place: storm warning.")
        await wait_until(
            lambda: all(
                received(u, "Gate 2 &amp;") + received(u, "Gate 2 &") >= 1
                and received(u, "Shelter in place") >= 1
                for u in users
            ),
            60,
            "every delegate to get both",
        )
        await asyncio.sleep(1.0)
        assert all(received(u, "Buses leave at 18:00") == 1 for u in users)
        assert all(received(u, "Shelter in place") == 1 for u in users)
        # The delegates' messages only: the organizer's preview quotes the urgent text, and
        # the broadcast rightly goes on while the organizer is still confirming it.
        organizer = str(summit.organizer.chat_id)
        sends = [
            r
            for r in emulator.requests
            if r.method == "sendMessage" and r.status == 200 and r.params["chat_id"] != organizer
        ]
        kinds = [
            "U" if "Shelter" in r.params.get("text", "") else "B"
            for r in sends
            if "Shelter" in r.params.get("text", "") or "Buses" in r.params.get("text", "")
        ]
        first_urgent, last_urgent = kinds.index("U"), len(kinds) - 1 - kinds[::-1].index("U")
        bulk_during_urgent = kinds[first_urgent:last_urgent].count("B")
        assert kinds[last_urgent + 1 :].count("B") > 0, (
            "the broadcast should still have been running"
        )
        assert bulk_during_urgent <= 60, (
            f"{bulk_during_urgent} broadcast messages overtook the urgent notice"
        )
        throttled = emulator.stats.get("429", 0)
        print(f"429s: {throttled}; bulk sent while urgent was going out: {bulk_during_urgent}")
        assert throttled <= 20
        progress = summit.organizer.messages[-1]
        await wait_until(
            lambda: "✅" in summit.organizer.messages[0].text,
            15,
            "the broadcast progress to finish",
        )
        final = summit.organizer.messages[0].text
        assert "Delivered: 2,000" in final, final
        del progress


async def test_server_errors_and_slow_answers_lose_nothing(tmp_path, emulator):
    count = 300
    async with crowd(tmp_path, emulator, count, rate=150) as (summit, users):
        emulator.faults = Faults(error_rate=0.1, slow_rate=0.05, slow_seconds=1.0, seed=7)
        await confirm(summit.organizer, "/broadcast all Lunch is served in the Grand Ballroom.")
        await wait_until(
            lambda: all(received(u, "Grand Ballroom") >= 1 for u in users),
            90,
            "every delegate to get it",
        )
        errors = emulator.stats.get("500", 0) + emulator.stats.get("502", 0)
        assert errors > 10
        await asyncio.sleep(1.0)
        # A slow answer delivers the message; only a timeout on it could make a second copy.
        duplicates = sum(received(u, "Grand Ballroom") - 1 for u in users)
        print(f"server errors: {errors}; duplicates: {duplicates}")
        assert duplicates == 0


async def test_sigkill_halfway_then_restart_delivers_to_everyone(tmp_path, emulator):
    count = 600
    async with crowd(tmp_path, emulator, count, rate=100) as (summit, users):
        await confirm(summit.organizer, "/broadcast all Visa desk open until noon.")
        await wait_until(
            lambda: sum(received(u, "Visa desk") for u in users) >= count // 2,
            30,
            "half of the broadcast",
        )
        await summit.bot.kill()
        database = sqlite3.connect(summit.directory / "summit.db")
        in_flight = database.execute(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sending'"
        ).fetchone()[0]
        database.close()
        await summit.restart()
        await wait_until(
            lambda: all(received(u, "Visa desk") >= 1 for u in users),
            60,
            "everyone after the restart",
        )
        await asyncio.sleep(1.0)
        duplicates = sum(received(u, "Visa desk") - 1 for u in users)
        print(f"claimed when killed: {in_flight}; duplicates: {duplicates}")
        assert duplicates <= in_flight


async def test_blocked_delegate_is_unreachable_and_counted(summit):
    alice = await summit.register("alice")
    yara = await summit.register("yara")
    summit.emulator.block(yara.user_id)
    await confirm(summit.organizer, "/broadcast all Welcome dinner tonight.")
    await wait_until(lambda: received(alice, "Welcome dinner") == 1, 10, "alice's copy")
    await wait_until(
        lambda: "Unreachable (blocked the bot): 1" in summit.organizer.messages[0].text,
        10,
        "the progress to count yara",
    )
    await summit.organizer.send("/stats")
    stats = (await summit.organizer.reply()).text
    assert "Delegates registered: 2 of 5" in stats
    assert "Delegates unreachable (blocked the bot): 1" in stats
    summit.emulator.unblock(yara.user_id)
    await yara.send("/next")
    await yara.reply()
    await summit.organizer.send("/stats")
    assert "Delegates unreachable (blocked the bot): 0" in (await summit.organizer.reply()).text


async def test_preview_counts_then_cancel_sends_nothing(summit):
    await summit.register("alice")
    await summit.register("farid")
    await summit.register("yara")
    organizer = summit.organizer
    await organizer.send("/broadcast delegation:xandria Meeting point moved to Hall B.")
    preview = await organizer.reply()
    assert "2 recipients" in preview.text
    assert preview.buttons[0][0].text == "Send to 2 people"
    await organizer.press(preview, "Cancel")
    edited = await organizer.wait_edit(preview)
    assert "Nothing was sent" in edited.text
    await organizer.press(edited, callback_data=preview.buttons[0][0].callback_data, forge=True)
    await asyncio.sleep(0.5)
    assert all(received(u, "Hall B") == 0 for u in summit.users.values())


async def test_session_and_track_audiences(summit):
    await summit.register("alice")
    await summit.register("yara")
    await summit.register("zed")
    organizer = summit.organizer
    await organizer.send("/broadcast session:bil-zy Room change for your bilateral.")
    assert "2 recipients" in (await organizer.reply()).text
    await organizer.send("/broadcast track:cyber Slides are online.")
    assert "1 recipient." in (await organizer.reply()).text
    await organizer.send("/broadcast session:open Plenary starts late.")
    assert "3 recipients" in (await organizer.reply()).text


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/broadcast", "Write /broadcast AUDIENCE TEXT"),
        ("/broadcast all", "Write /broadcast AUDIENCE TEXT"),
        ("/broadcast everyone Hello", "Write /broadcast AUDIENCE TEXT"),
        ("/broadcast delegation:Atlantis Hello", "I do not know delegation:Atlantis"),
        ("/broadcast session:nope Hello", "I do not know session:nope"),
        ("/broadcast delegation:Secretariat Hello", "Nobody to send to"),
        ("/urgent all " + "x" * 3600, "the most I can send is 3,500"),
    ],
)
async def test_bad_broadcasts_get_a_clear_answer_and_send_nothing(summit, command, answer):
    await summit.register("alice")
    await summit.organizer.send(command)
    reply = await summit.organizer.reply()
    assert answer in reply.text
    assert not reply.buttons


async def test_delegates_cannot_broadcast_or_press_organizer_buttons(summit):
    alice = await summit.register("alice")
    await alice.send("/broadcast all I am in charge now")
    assert (await alice.reply()).text == "This command is for the organizers."
    await summit.organizer.send("/broadcast all Genuine notice")
    preview = await summit.organizer.reply()
    answer = await alice.press(
        alice.messages[0], callback_data=preview.buttons[0][0].callback_data, forge=True
    )
    assert answer.show_alert and "organizers" in answer.text
    await asyncio.sleep(0.5)
    assert received(alice, "Genuine notice") == 0


async def test_urgent_acknowledgements_and_status(summit):
    alice = await summit.register("alice")
    yara = await summit.register("yara")
    await confirm(summit.organizer, '/urgent delegation:"Yoland" Evacuate <Hall A> now')
    notice = await yara.reply()
    assert "Urgent notice" in notice.text and "Evacuate <Hall A> now" in notice.text
    assert received(alice, "Evacuate") == 0
    await summit.organizer.send("/urgent_status")
    assert "Yara Yilmaz (Yoland)" in (await summit.organizer.reply()).text
    answer = await yara.press(notice, notice.button_texts()[0])
    assert "acknowledgement has been recorded" in answer.text
    forged = await alice.press(
        alice.messages[0], callback_data=notice.buttons[0][0].callback_data, forge=True
    )
    assert forged.show_alert
    await summit.organizer.send("/urgent_status")
    assert "Everyone has acknowledged" in (await summit.organizer.reply()).text
    await wait_until(
        lambda: "Acknowledged: 1" in summit.organizer.messages[0].text,
        10,
        "progress to count the acknowledgement",
    )
