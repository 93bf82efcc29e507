"""A real PTB Bot and Application against the emulator over HTTP.

These show that PTB sees Telegram's behaviour: the right exception types and texts,
long polling, callback queries, files, commands and flood control.
"""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.sandbox.emulator import RateLimits, TelegramEmulator
from tests.sandbox.ptb_app import running_app

pytestmark = pytest.mark.usefixtures("ptb_timedelta")


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"Button {d}", callback_data=d)] for d in data]
    )


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    name = update.effective_user.first_name
    await update.effective_message.reply_html(
        f"<b>Welcome</b>, {name}!", reply_markup=keyboard("page:2")
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"Opening {query.data}")
    await query.edit_message_text(
        f"<i>{query.data}</i>", parse_mode="HTML", reply_markup=keyboard("page:1")
    )


@pytest.fixture
async def app(emulator: TelegramEmulator) -> AsyncIterator[object]:
    handlers = [CommandHandler("start", on_start), CallbackQueryHandler(on_button)]
    async with running_app(emulator, handlers) as application:
        yield application


async def test_start_round_trip_and_button_press(emulator: TelegramEmulator, app: object) -> None:
    amina = emulator.user(1001, first_name="Amina", language_code="ar")
    sent = await amina.send("/start")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

    welcome = await amina.reply()
    assert welcome.text == "Welcome, Amina!"
    assert welcome.html == "<b>Welcome</b>, Amina!"
    assert welcome.entities == [{"type": "bold", "offset": 0, "length": 7}]
    assert welcome.button_texts() == ["Button page:2"]

    answer = await amina.press(welcome, "Button page:2")
    assert answer.text == "Opening page:2"
    assert not answer.show_alert
    edited = await amina.wait_edit(welcome)
    assert (edited.text, edited.edit_count) == ("page:2", 1)
    assert edited.button_texts() == ["Button page:1"]
    assert amina.messages == [edited]
    await amina.no_reply(within=0.2)


async def test_commands_addressed_to_the_bot_in_groups(
    emulator: TelegramEmulator, app: object
) -> None:
    group = emulator.group(-1001234, title="Delegation room")
    farid = emulator.user(1002, first_name="Farid")
    await group.send(farid, "hello everyone")
    await group.send(farid, "/start@OtherBot")
    await group.no_reply(within=0.2)
    await group.send(farid, "/start@SummitDemoBot")
    assert (await group.reply()).text == "Welcome, Farid!"


async def known_user(emulator: TelegramEmulator, user_id: int = 1001) -> int:
    await emulator.user(user_id).send("hi")
    return user_id


async def test_bad_html_is_rejected_with_tdlib_reason(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(chat_id, "Agenda <foo>today</foo>", parse_mode="HTML")
    assert caught.value.message.lower() == (
        'can\'t parse entities: unsupported start tag "foo" at byte offset 7'
    )
    record = emulator.requests[-1]
    assert (record.method, record.status) == ("sendMessage", 400)
    assert record.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 7'
    )
    assert emulator.user(chat_id).messages == []


async def test_too_long_counts_utf16_after_parsing(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    await bot.send_message(chat_id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(chat_id, "😀" * 2049)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(chat_id, "")
    with pytest.raises(BadRequest, match=r"(?i)text must be non-empty"):
        await bot.send_message(chat_id, "<b> </b>\n", parse_mode="HTML")


async def test_callback_data_over_64_bytes(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    await bot.send_message(chat_id, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)^button_data_invalid$"):
        await bot.send_message(chat_id, "too much", reply_markup=keyboard("x" * 65))


async def test_identical_edit_is_not_modified(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    message = await bot.send_message(chat_id, "<b>Day 1</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)^message is not modified: specified new message"):
        await bot.edit_message_text("<b>Day 1</b>", chat_id, message.message_id, parse_mode="HTML")
    edited = await bot.edit_message_text("Day 1", chat_id, message.message_id)
    assert isinstance(edited, type(message)) and edited.text == "Day 1"
    with pytest.raises(BadRequest, match=r"(?i)^message to edit not found$"):
        await bot.edit_message_text("x", chat_id, 999)
    with pytest.raises(BadRequest, match=r"(?i)^message_too_long$"):  # edits use the raw code
        await bot.edit_message_text("x" * 4097, chat_id, message.message_id)


async def test_blocked_user_and_unknown_chat(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    emulator.block(chat_id)
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(chat_id, "hello?")
    emulator.unblock(chat_id)
    await bot.send_message(chat_id, "hello again")
    emulator.user(2002)  # exists in the sandbox but never wrote to the bot
    with pytest.raises(BadRequest, match=r"(?i)^chat not found$"):
        await bot.send_message(2002, "hello")
    assert emulator.stats["403"] == 1
    group = emulator.group(-100555, title="Plenary")
    await group.send(emulator.user(2002), "/start")
    with pytest.raises(Forbidden) as caught:
        await bot.send_message(2002, "hello")
    assert caught.value.message == "Forbidden: bot can't initiate conversation with a user"


async def test_global_flood_limit_raises_retry_after(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    emulator.rate_limits = RateLimits(global_per_second=0.1)  # one message per ten seconds
    await bot.send_message(chat_id, "first")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat_id, "second")
    description = emulator.requests[-1].description or ""
    assert description.startswith("Too Many Requests: retry after ")
    seconds = int(description.rpartition(" ")[2])
    assert 1 <= seconds <= 10
    assert caught.value.retry_after == timedelta(seconds=seconds)
    assert [m.text for m in emulator.user(chat_id).messages] == ["first"]
    assert emulator.stats["429"] == 1


async def test_private_chat_burst_limit(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    other = await known_user(emulator, 1003)
    emulator.rate_limits = RateLimits(per_chat_per_second=0.1, per_chat_burst=2)
    await bot.send_message(chat_id, "1")
    await bot.send_message(chat_id, "2")
    with pytest.raises(RetryAfter):
        await bot.send_message(chat_id, "3")
    await bot.send_message(other, "another chat is not affected")


async def test_user_document_is_downloadable_by_the_bot(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    content = b"title,start\nOpening,09:00\n"
    await emulator.user(1001).send_document("sessions.csv", content, mime_type="text/csv")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    document = update.message.document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "sessions.csv",
        "text/csv",
        len(content),
    )
    file = await bot.get_file(document.file_id)
    assert bytes(await file.download_as_bytearray()) == content
    assert emulator.file_bytes(document.file_id) == content


async def test_bot_document_reaches_the_user(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    await bot.send_document(
        chat_id, b"BEGIN:VCALENDAR", filename="agenda.ics", caption="<b>Your</b> agenda",
        parse_mode="HTML",
    )  # fmt: skip
    message = await emulator.user(chat_id).reply()
    assert message.document is not None
    assert (message.document.file_name, message.document.content) == (
        "agenda.ics",
        b"BEGIN:VCALENDAR",
    )
    assert (message.text, message.entities) == (
        "Your agenda",
        [{"type": "bold", "offset": 0, "length": 4}],
    )
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(chat_id, b"x", filename="a.txt", caption="c" * 1025)


async def test_set_my_commands_per_language_and_scope(emulator: TelegramEmulator, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("agenda", "Your agenda")])
    await bot.set_my_commands([BotCommand("agenda", "Votre programme")], language_code="fr")
    chat_id = await known_user(emulator)
    await bot.set_my_commands(
        [BotCommand("admin", "Organizer tools")], scope=BotCommandScopeChat(chat_id)
    )
    assert emulator.commands() == [("agenda", "Your agenda")]
    assert emulator.commands("fr") == [("agenda", "Votre programme")]
    assert emulator.commands("de") == []
    assert emulator.commands(scope_type="chat", chat_id=chat_id) == [("admin", "Organizer tools")]
    (french,) = await bot.get_my_commands(language_code="fr")
    assert (french.command, french.description) == ("agenda", "Votre programme")
    with pytest.raises(BadRequest, match=r"(?i)^bot_command_invalid$"):
        await bot.set_my_commands([BotCommand("Agenda!", "x")])
    with pytest.raises(BadRequest, match=r"(?i)^command description length must not exceed 256$"):
        await bot.set_my_commands([BotCommand("agenda", "x" * 257)])
    await bot.delete_my_commands(language_code="fr")
    assert emulator.commands("fr") == []


async def test_callback_answers_are_checked(emulator: TelegramEmulator, bot: Bot) -> None:
    chat_id = await known_user(emulator)
    message = await bot.send_message(chat_id, "pick", reply_markup=keyboard("a"))
    user = emulator.user(chat_id)
    shown = await user.reply()
    assert shown.message_id == message.message_id

    async def answer_next_press(text: str) -> str:
        updates = await bot.get_updates(offset=-1)
        query = updates[-1].callback_query
        assert query is not None
        with pytest.raises(BadRequest, match=r"(?i)^message_too_long$"):
            await query.answer("x" * 201)
        await query.answer(text, show_alert=True)
        with pytest.raises(BadRequest, match=r"(?i)^query is too old and response timeout"):
            await query.answer("again")
        return query.id

    press = asyncio.create_task(user.press(shown, callback_data="forged", forge=True))
    await asyncio.sleep(0.05)
    await answer_next_press("Saved")
    answer = await press
    assert (answer.text, answer.show_alert) == ("Saved", True)


async def test_wrong_token_is_unauthorized(emulator: TelegramEmulator) -> None:
    wrong = Bot("123456:WRONG", base_url=emulator.api_base_url)
    try:
        with pytest.raises(InvalidToken):
            await wrong.initialize()
    finally:
        await wrong.shutdown()
    assert (emulator.requests[-1].status, emulator.requests[-1].description) == (
        401,
        "Unauthorized",
    )
