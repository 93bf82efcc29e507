"""The terminal chat, driven by scripted lines against the real emulator and a tiny PTB bot."""

from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import sys
import threading
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox.emulator import TelegramEmulator
from bot.sandbox.terminal import TerminalPersona, render_text, run_terminal_chat
from tests.sandbox.ptb_app import running_app

DELEGATE_ID, ORGANIZER_ID = 2001, 2002
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --- rendering ---------------------------------------------------------------------------------


def test_entities_use_utf16_offsets() -> None:
    # "📅" is two UTF-16 code units: the bold entity starts at 3, i.e. Python index 2.
    text = "📅 Agenda today"
    bold = {"type": "bold", "offset": 3, "length": 6}
    assert render_text(text, [bold], color=True) == "📅 \x1b[1mAgenda\x1b[0m today"
    assert render_text(text, [bold], color=False) == text


def test_overlapping_entities_and_links() -> None:
    text = "Room 1 moved"
    entities = [
        {"type": "text_link", "offset": 0, "length": 6, "url": "https://example.org/map"},
        {"type": "bold", "offset": 5, "length": 7},
    ]
    coloured = render_text(text, entities, color=True)
    assert ANSI.sub("", coloured) == "Room 1 <https://example.org/map> moved"
    assert "\x1b[1;4;34m1" in coloured  # bold and link styles together on the overlap
    assert render_text(text, entities, color=False) == "Room 1 <https://example.org/map> moved"


def test_arabic_text_is_printed_as_is() -> None:
    text = "جدول أعمالك — Plenary Hall"
    assert render_text(text, [{"type": "italic", "offset": 0, "length": 11}], color=False) == text


# --- a tiny bot --------------------------------------------------------------------------------


def day_keyboard(day: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(f"◀ Day {day - 1}", callback_data=f"day:{day - 1}"),
                InlineKeyboardButton(f"Day {day + 1} ▶", callback_data=f"day:{day + 1}"),
            ],
            [InlineKeyboardButton("Venue map", url="https://example.org/map")],
        ]
    )


async def on_agenda(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html(
        "📅 <b>Your agenda</b>, day 2\n09:00 Opening Ceremony", reply_markup=day_keyboard(2)
    )


async def on_day(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    day = int(query.data.split(":")[1])
    await query.answer(f"Loading day {day}")
    await query.edit_message_text(
        f"📅 <b>Your agenda</b>, day {day}", parse_mode="HTML", reply_markup=day_keyboard(day)
    )


async def on_notify(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pushes a message into the organizer's chat, as a broadcast would."""
    assert update.effective_message is not None
    await context.bot.send_message(ORGANIZER_ID, "Room change: Plenary Hall → Room 2")
    await update.effective_message.reply_text("Sent.")


async def on_calendar(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", filename="agenda.ics", caption="Your calendar"
    )


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    file = await message.document.get_file()
    data = await file.download_as_bytearray()
    await message.reply_text(f"Got {message.document.file_name}: {len(data)} bytes")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    text = update.effective_message.text
    await update.effective_message.reply_text(f"{update.effective_user.first_name} said: {text}")


pytestmark = pytest.mark.usefixtures("ptb_timedelta")


@pytest.fixture
async def app(emulator: TelegramEmulator) -> AsyncIterator[None]:
    """A real PTB Application polling the emulator, in the background of each test."""
    handlers = [
        CommandHandler("agenda", on_agenda),
        CommandHandler("notify", on_notify),
        CommandHandler("calendar", on_calendar),
        CallbackQueryHandler(on_day),
        MessageHandler(filters.Document.ALL, on_document),
        MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
    ]
    async with running_app(emulator, handlers):
        yield


def personas(emulator: TelegramEmulator) -> list[TerminalPersona]:
    return [
        TerminalPersona(
            "delegate", emulator.user(DELEGATE_ID, first_name="Daniel"), "Daniel Whitmore, Xandria"
        ),
        TerminalPersona(
            "organizer", emulator.user(ORGANIZER_ID, first_name="Noura"), "Noura, Secretariat"
        ),
    ]


async def scripted(lines: Iterable[str]) -> AsyncIterator[str]:
    for line in lines:
        yield line


async def chat(
    emulator: TelegramEmulator, lines: Iterable[str], tmp_path: Path, *, color: bool = False
) -> str:
    output = io.StringIO()
    await asyncio.wait_for(
        run_terminal_chat(
            personas(emulator),
            input_lines=scripted(lines),
            output=output,
            color=color,
            downloads_dir=tmp_path / "downloads",
            quiet_seconds=0.1,
        ),
        timeout=30,
    )
    return output.getvalue()


def after(transcript: str, marker: str) -> str:
    """The transcript from the echo of `marker` on."""
    index = transcript.index(marker)
    return transcript[index:]


# --- the chat ----------------------------------------------------------------------------------

with_bot = pytest.mark.usefixtures("app")


@with_bot
async def test_reply_buttons_press_and_edit(emulator: TelegramEmulator, tmp_path: Path) -> None:
    transcript = await chat(emulator, ["/agenda", "2", "#1"], tmp_path)
    assert ":as LABEL" in transcript and ":quit" in transcript  # the banner

    reply = after(transcript, "delegate › /agenda")
    assert "● bot\n│ 📅 Your agenda, day 2\n│ 09:00 Opening Ceremony\n" in reply
    assert "│ [1] ◀ Day 1   [2] Day 3 ▶\n│ [3] Venue map ↗\n" in reply

    pressed = after(transcript, "delegate › 2\n")
    assert "ⓘ Loading day 3" in pressed
    assert "✎ bot (edited)\n│ 📅 Your agenda, day 3\n│ [1] ◀ Day 2   [2] Day 4 ▶" in pressed

    # The edited message's buttons are now the ones a number presses.
    assert "ⓘ Loading day 2" in after(transcript, "delegate › #1\n")
    assert transcript.rstrip().endswith("» bye")
    [message] = emulator.user(DELEGATE_ID).messages
    assert message.text == "📅 Your agenda, day 2" and message.edit_count == 2


@with_bot
async def test_colour_renders_entities(emulator: TelegramEmulator, tmp_path: Path) -> None:
    transcript = await chat(emulator, ["/agenda"], tmp_path, color=True)
    assert "📅 \x1b[1mYour agenda\x1b[0m, day 2" in transcript
    assert "Day 3 ▶" in ANSI.sub("", transcript)


@with_bot
async def test_persona_switch_and_messages_for_others(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    organizer = personas(emulator)[1].user
    await organizer.send("hello, bot")  # Telegram only lets bots write to people who wrote first
    assert (await organizer.reply()).text == "Noura said: hello, bot"
    transcript = await chat(
        emulator, ["/notify", ":who", ":as organizer", "hello", ":as deleg", "hi"], tmp_path
    )
    notified = after(transcript, "delegate › /notify")
    assert "│ Sent." in notified
    assert "» (1 unseen message for organizer — :as organizer to read)" in notified
    # Nothing of the organizer's chat is shown until one becomes the organizer.
    assert notified.index("Room change") > notified.index("delegate › :as organizer")

    assert "» you are delegate: Daniel Whitmore, Xandria" in after(transcript, "› :who")
    assert "you can also be: organizer" in transcript

    switched = after(transcript, "delegate › :as organizer")
    assert "» you are now organizer: Noura, Secretariat\n● bot\n│ Room change" in switched
    assert "organizer › hello\n● bot\n│ Noura said: hello" in switched
    assert "» you are now delegate" in after(transcript, "organizer › :as deleg")
    assert "delegate › hi\n● bot\n│ Daniel said: hi" in transcript


@with_bot
async def test_documents_both_ways(emulator: TelegramEmulator, tmp_path: Path) -> None:
    sessions = tmp_path / "sessions.csv"
    sessions.write_text('id,title,start,end,room\nS1,"Cyber, Defense",x,y,z\n', encoding="utf-8")
    transcript = await chat(emulator, [f":send {sessions}", "/calendar"], tmp_path)
    assert "» sent sessions.csv (" in transcript
    assert f"│ Got sessions.csv: {sessions.stat().st_size} bytes" in transcript

    saved = tmp_path / "downloads" / "agenda.ics"
    assert saved.read_bytes() == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert f"│ Your calendar\n│ 📎 agenda.ics (32 bytes) saved to {saved}" in transcript


@with_bot
async def test_mistakes_get_a_clear_line(emulator: TelegramEmulator, tmp_path: Path) -> None:
    transcript = await chat(
        emulator,
        [
            "#1",
            ":as nobody",
            ":as",
            f":send {tmp_path / 'missing.csv'}",
            ":send",
            ":frobnicate",
            "/agenda",
            "#9",
            "3",
            ":say 7",
            ":help",
            ":quit",
            "never read",
        ],
        tmp_path,
    )
    assert "» there is no message with buttons to press" in transcript
    assert "» no persona 'nobody' — choose one of delegate, organizer" in transcript
    assert "» :as needs a persona" in transcript
    assert "» cannot read" in transcript and "missing.csv" in transcript
    assert "» :send needs a file path" in transcript
    assert "» unknown command :frobnicate" in transcript
    assert "» no button 9 — the latest buttons are 1 to 3" in transcript
    assert "» that button opens https://example.org/map" in transcript
    assert "│ Daniel said: 7" in transcript
    assert transcript.count("Summit Bot — terminal chat") == 2  # banner, then :help
    assert "never read" not in transcript
    assert "Traceback" not in transcript


@with_bot
async def test_piped_standard_input_until_eof(
    emulator: TelegramEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, "/agenda\n2\nлюди 👋".encode())  # no newline before EOF
    os.close(write_end)
    with os.fdopen(read_end, "r", encoding="utf-8") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        output = io.StringIO()
        await asyncio.wait_for(
            run_terminal_chat(
                personas(emulator), output=output, downloads_dir=tmp_path, quiet_seconds=0.1
            ),
            timeout=30,
        )
    transcript = output.getvalue()
    assert "\x1b[" not in transcript  # not a tty: no colour
    assert "│ [1] ◀ Day 1   [2] Day 3 ▶" in transcript
    assert "ⓘ Loading day 3" in transcript
    assert "│ Daniel said: люди 👋" in transcript
    assert transcript.rstrip().endswith("» bye")


@with_bot
async def test_ctrl_c_ends_the_chat_and_restores_sigint(
    emulator: TelegramEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = signal.getsignal(signal.SIGINT)
    read_end, write_end = os.pipe()
    os.write(write_end, b"/agenda\n")  # the pipe stays open: only Ctrl-C can end the chat
    output = io.StringIO()

    async def press_ctrl_c_after_the_reply() -> None:
        await emulator.user(DELEGATE_ID).reply()
        os.kill(os.getpid(), signal.SIGINT)  # while the chat waits for the bot to go quiet

    with os.fdopen(read_end, "r", encoding="utf-8") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        ctrl_c = asyncio.create_task(press_ctrl_c_after_the_reply())
        await asyncio.wait_for(
            run_terminal_chat(personas(emulator), output=output, quiet_seconds=0.1), timeout=30
        )
        await ctrl_c
        os.close(write_end)  # lets the reader thread see the end of input and finish
        for thread in threading.enumerate():
            if thread.name == "terminal-stdin":
                thread.join(timeout=5)
    assert output.getvalue().rstrip().endswith("» bye")
    assert signal.getsignal(signal.SIGINT) is before
