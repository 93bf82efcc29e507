"""/program and /forget through the real bot process and the emulator."""

import sqlite3

import pytest

from bot.views.browse import session_key
from tests.support.summit_files import DAY1, DAY2

pytestmark = pytest.mark.e2e


async def open_program_on(user, day):
    """/program, then straight to `day` with the page button's own callback data."""
    await user.send("/program")
    message = await user.reply()
    await user.press(message, callback_data=f"pg:v:{day.isoformat()}:0", forge=True)
    return await user.wait_edit(message)


async def test_add_and_remove_from_program_changes_agenda(summit):
    alice = await summit.register("alice")
    page = await open_program_on(alice, DAY2)
    assert "Crisis management" in page.text
    assert "Closed plenary of ministers" not in page.text  # zed's private plenary
    add = next(b for b in page.button_texts() if "Crisis management" in b)
    assert add.startswith("➕")
    answer = await alice.press(page, add)
    assert "Added to your agenda: Crisis management" in answer.text
    page = await alice.wait_edit(page)
    await alice.send(f"/agenda {DAY2.isoformat()}")
    assert "Crisis management" in (await alice.reply()).text
    remove = next(b for b in page.button_texts() if "Crisis management" in b)
    assert remove.startswith("✅")
    answer = await alice.press(page, remove)
    assert "Removed from your agenda" in answer.text
    await alice.wait_edit(page)
    await alice.send(f"/agenda {DAY2.isoformat()}")
    assert "Crisis management" not in (await alice.reply()).text


async def test_overlap_is_pointed_out_and_still_allowed(summit):
    yara = await summit.register("yara")
    page = await open_program_on(yara, DAY1)
    # yara has the 14:00 bilateral; the cyber panel is 11:00, no clash; add it first.
    await yara.press(page, next(b for b in page.button_texts() if "Cyber" in b))
    page = await yara.wait_edit(page)
    await summit.organizer.send("/reschedule cyber 14:15")
    await summit.organizer.reply()
    await yara.reply()  # the change notice
    page = await open_program_on(yara, DAY1)
    # Remove and add again: now it overlaps the bilateral.
    await yara.press(page, next(b for b in page.button_texts() if "Cyber" in b))
    page = await yara.wait_edit(page)
    answer = await yara.press(page, next(b for b in page.button_texts() if "Cyber" in b))
    assert "overlaps" in answer.text and "Bilateral" in answer.text
    await yara.wait_edit(page)
    await yara.send(f"/agenda {DAY1.isoformat()}")
    assert "Cyber" in (await yara.reply()).text


async def test_forged_button_for_a_private_session_reads_like_a_missing_one(summit):
    alice = await summit.register("alice")
    page = await open_program_on(alice, DAY1)
    forged = f"pg:t:{DAY1.isoformat()}:0:{session_key('bil-zy')}"
    missing = f"pg:t:{DAY1.isoformat()}:0:{session_key('no-such-session')}"
    first = await alice.press(page, callback_data=forged, forge=True)
    second = await alice.press(page, callback_data=missing, forge=True)
    assert first.text == second.text
    await alice.send(f"/agenda {DAY1.isoformat()}")
    assert "Zembla" not in (await alice.reply()).text


async def test_program_buttons_fit_telegram_whatever_the_ids(summit):
    alice = await summit.register("alice")
    page = await open_program_on(alice, DAY1)
    assert all(
        len(b.callback_data.encode()) <= 64 for row in page.buttons for b in row if b.callback_data
    )


async def test_forget_leaves_no_row_naming_the_telegram_user(summit):
    alice = await summit.register("alice")
    await alice.send("/remind 20")
    await alice.reply()
    await summit.organizer.send("/move cyber Room V")
    await summit.organizer.reply()
    await alice.reply()
    await alice.send("/forget")
    question = await alice.reply()
    await alice.press(question, question.button_texts()[0])
    done = await alice.wait_edit(question)
    assert "forgotten" in done.text
    database = sqlite3.connect(summit.directory / "summit.db")
    needle = str(alice.user_id)
    for (table,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in database.execute(f"SELECT * FROM {table}"):
            assert not any(
                str(value) == needle or needle in str(value).split(":") for value in row
            ), (table, row)
    assert database.execute("SELECT COUNT(*) FROM delegate WHERE id = 'alice'").fetchone()[0] == 1
    database.close()
    await alice.send("/agenda")
    assert "not registered" in (await alice.reply()).text


async def test_forget_can_be_declined(summit):
    alice = await summit.register("alice")
    await alice.send("/forget")
    question = await alice.reply()
    await alice.press(question, question.button_texts()[1])
    assert "Nothing was deleted" in (await alice.wait_edit(question)).text
    await alice.send(f"/agenda {DAY1.isoformat()}")
    assert "Opening plenary" in (await alice.reply()).text
