"""The ✏️ buttons of an organizer's /program, through the real bot and the emulator."""

import asyncio
import time

import pytest

from bot.views.session_keys import session_key
from tests.support.summit_files import DAY1

pytestmark = pytest.mark.e2e


async def organizer_program(summit, day=DAY1):
    organizer = summit.organizer
    await organizer.send("/program")
    message = await organizer.reply()
    await organizer.press(message, callback_data=f"pg:v:{day.isoformat()}:0", forge=True)
    return organizer, await organizer.wait_edit(message)


async def edit_menu(summit, title_part):
    organizer, page = await organizer_program(summit)
    pencil = next(b for b in page.button_texts() if b.startswith("✏️") and title_part in b)
    await organizer.press(page, pencil)
    return organizer, await organizer.reply()


async def test_organizer_program_shows_ids_and_invited_sessions_with_pencils(summit):
    _, page = await organizer_program(summit)
    # Every session of the day, invited bilaterals included, each with its id.
    for session_id in ("open", "cyber", "bil-xy", "bil-zy"):
        assert f"🆔 {session_id}" in page.text, page.text
    assert any(b.startswith("✏️") and "Cyber" in b for b in page.button_texts())
    # Every callback stays within Telegram's 64 bytes.
    for row in page.buttons:
        for button in row:
            assert len(button.callback_data.encode()) <= 64


async def test_move_by_typing_the_room_tells_the_attendees(summit):
    alice = await summit.register("alice")
    organizer, menu = await edit_menu(summit, "Cyber")
    assert "🆔 cyber" in menu.text
    await organizer.press(menu, "📍 Move to another room")
    assert "Send the new room" in (await organizer.reply()).text
    await organizer.send("Room Z (north)")
    assert "1 delegate is being told" in (await organizer.reply()).text
    notice = await alice.reply()
    assert "Room A → Room Z (north)" in notice.text
    # The question was answered: the next text is ordinary text again (help, no change).
    await organizer.send("Room Q")
    assert "Room Q" not in (await organizer.reply()).text


async def test_reschedule_by_button_and_by_typing(summit):
    alice = await summit.register("alice")
    organizer, menu = await edit_menu(summit, "Cyber")
    await organizer.press(menu, "🕑 Reschedule")
    question = await organizer.reply()
    assert "12:00" in question.button_texts()  # 11:00 + 60 min
    await organizer.press(question, "12:00")
    answer = await organizer.wait_edit(question)
    assert "12:00–13:30" in answer.text and "1 delegate is being told" in answer.text
    assert "12:00–13:30" in (await alice.reply()).text
    # Typed: an unreadable time is explained and asked again, then a good one applies.
    _, menu = await edit_menu(summit, "Cyber")
    await organizer.press(menu, "🕑 Reschedule")
    await organizer.reply()
    await organizer.send("soonish")
    assert "I cannot read soonish as a time" in (await organizer.reply()).text
    await organizer.send("16:00 16:45")
    assert "16:00–16:45" in (await organizer.reply()).text
    assert "16:00–16:45" in (await alice.reply()).text


async def test_cancel_asks_first_and_keep_changes_nothing(summit):
    alice = await summit.register("alice")
    organizer, menu = await edit_menu(summit, "Cyber")
    await organizer.press(menu, "✖️ Cancel the session")
    confirm = await organizer.reply()
    answer = await organizer.press(confirm, "No, keep it")
    assert answer.text == "Nothing was changed."
    await asyncio.sleep(0.5)
    assert not alice.messages[1:]  # only the welcome
    _, menu = await edit_menu(summit, "Cyber")
    await organizer.press(menu, "✖️ Cancel the session")
    confirm = await organizer.reply()
    await organizer.press(confirm, "Yes, cancel it")
    answer = await organizer.wait_edit(confirm)
    assert "is cancelled" in answer.text
    assert "Cancelled" in (await alice.reply()).text


async def test_message_attendees_opens_the_session_broadcast_preview(summit):
    alice = await summit.register("alice")
    organizer, menu = await edit_menu(summit, "Bilateral: Xandria")
    await organizer.press(menu, "📢 Message its attendees")
    assert "session bil-xy" in (await organizer.reply()).text
    await organizer.send("The interpreters are ready.")
    preview = await organizer.reply()
    assert "the delegates of session bil-xy" in preview.text and "1 recipient" in preview.text
    await organizer.press(preview, preview.button_texts()[0])
    announcement = await alice.reply()
    assert "The interpreters are ready." in announcement.text


async def test_a_command_instead_of_the_answer_drops_the_question(summit):
    organizer, menu = await edit_menu(summit, "Cyber")
    await organizer.press(menu, "📍 Move to another room")
    await organizer.reply()
    await organizer.send("/stats")
    assert "Statistics" in (await organizer.reply()).text
    await organizer.send("Room Q")
    assert "is now in" not in (await organizer.reply()).text


async def test_delegates_and_forged_buttons_get_nothing(summit):
    alice = await summit.register("alice")
    key = session_key("cyber")
    await alice.send("/program")
    page = await alice.reply()
    assert not any(b.startswith("✏️") for b in page.button_texts())
    assert "🆔" not in page.text
    for data in (f"pe:e:{key}", f"pe:X:{key}", f"pe:t:{key}:{int(time.time()) + 86400}"):
        answer = await alice.press(page, callback_data=data, forge=True)
        assert answer.text == "This command is for the organizers."
    await asyncio.sleep(0.3)
    assert len(alice.messages) == 2  # the welcome and the page: no menu, no change
    # An organizer's forged key names nothing.
    organizer, page = await organizer_program(summit)
    answer = await organizer.press(page, callback_data="pe:X:AAAAAAAAAAA", forge=True)
    assert "not available" in answer.text
