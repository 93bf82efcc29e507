"""Simulated Telegram users and groups that talk to the bot through the emulator.

Tests read like a conversation: ``await user.send("/agenda")`` then
``msg = await user.reply()``. Each chat keeps every bot message in its current state
(edits applied); a ``SimulatedUser``/``SimulatedGroup`` remembers which of them
``reply()`` has already handed out, so replies come back in order and none twice.

Waiting never polls: the emulator wakes waiters whenever a chat changes. When a wait
times out the error lists what did arrive and the bot's recent failed API calls in that
chat, which is usually the real cause (e.g. a 400 for bad HTML).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from bot.sandbox.chats import ChatState, UserInfo
    from bot.sandbox.emulator import TelegramEmulator


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """A file attached to a message; ``content`` is the uploaded bytes."""

    file_name: str | None
    mime_type: str | None
    content: bytes
    caption: str | None = None
    file_id: str = ""


@dataclass(frozen=True)
class Photo:
    """A photo as the emulator stored it: ``content`` is the uploaded image."""

    file_id: str
    file_unique_id: str
    width: int
    height: int
    content: bytes


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Venue:
    """A venue message: a pin with a title and an address."""

    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, in its current state.

    ``text`` is the plain text after entity parsing (the caption for documents), ``html``
    the raw text as sent when a parse_mode was used. ``buttons`` holds the inline keyboard;
    any other reply markup (reply keyboards, force_reply, ...) is kept raw in
    ``reply_markup``.
    """

    message_id: int
    chat_id: int
    text: str
    html: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]]
    buttons: list[list[Button]]
    document: Document | None
    edit_count: int
    date: int
    disable_notification: bool
    reply_markup: dict[str, Any] | None = None
    protect_content: bool = False
    photo: Photo | None = None
    """For a photo message (``text`` is its caption)."""
    venue: Venue | None = None
    location: Location | None = None

    def button_texts(self) -> list[str]:
        """Every inline button's text, row by row."""
        return [button.text for row in self.buttons for button in row]

    def find_button(self, text: str) -> Button | None:
        """The first inline button with exactly this text."""
        return next((b for row in self.buttons for b in row if b.text == text), None)


@dataclass(frozen=True)
class ChatEvent:
    """Something that happened to a bot message in a chat, for subscribers."""

    kind: Literal["message", "edit", "delete"]
    message: BotMessage


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered (answerCallbackQuery) to a button press."""

    text: str | None
    show_alert: bool
    url: str | None = None


def _describe(message: BotMessage) -> str:
    text = message.text if len(message.text) <= 60 else message.text[:57] + "..."
    edited = f" (edited {message.edit_count}x)" if message.edit_count else ""
    buttons = f" buttons={message.button_texts()}" if message.buttons else ""
    return f"#{message.message_id} {text!r}{edited}{buttons}"


class _ChatView:
    """Reading one chat: replies in order, edits, silence, subscriptions."""

    def __init__(self, emulator: TelegramEmulator, chat: ChatState) -> None:
        self.emulator = emulator
        self.chat = chat
        self._cursor = 0

    @property
    def chat_id(self) -> int:
        """The chat's Telegram id."""
        return self.chat.chat_id

    @property
    def messages(self) -> list[BotMessage]:
        """Every bot message still in the chat, oldest first, edits applied."""
        return self.chat.bot_messages()

    def subscribe(self) -> asyncio.Queue[ChatEvent]:
        """A queue receiving every later message, edit and deletion in this chat."""
        return self.chat.subscribe()

    def _explain(self, waited_for: str, timeout: float) -> str:
        arrived = [_describe(m) for m in self.messages] or ["nothing"]
        lines = [f"{waited_for} in chat {self.chat_id} within {timeout}s.", "Bot messages so far:"]
        lines += [f"  {item}" for item in arrived]
        if self.chat.recent_errors:
            lines.append("Recent failed Bot API calls in this chat:")
            lines += [f"  {error}" for error in self.chat.recent_errors]
        return "\n".join(lines)

    async def reply(self, timeout: float = 5.0) -> BotMessage:
        """The next bot message not yet returned by reply(); TimeoutError if none comes."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = self.chat.next_bot_message(self._cursor)
            if found is not None:
                self._cursor, message = found
                return message
            if not await self.chat.wait_for_change(deadline):
                raise TimeoutError(self._explain("No new bot message", timeout))

    async def replies(self, count: int, timeout: float = 5.0) -> list[BotMessage]:
        """The next ``count`` bot messages (one shared timeout)."""
        deadline = asyncio.get_running_loop().time() + timeout
        result: list[BotMessage] = []
        for _ in range(count):
            remaining = max(0.0, deadline - asyncio.get_running_loop().time())
            try:
                result.append(await self.reply(timeout=remaining))
            except TimeoutError:
                waited = f"Only {len(result)} of {count} bot messages arrived"
                raise TimeoutError(self._explain(waited, timeout)) from None
        return result

    async def no_reply(self, within: float = 0.5) -> None:
        """Asserts that no new bot message arrives within ``within`` seconds."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            found = self.chat.next_bot_message(self._cursor)
            if found is not None:
                raise AssertionError(f"Unexpected bot message: {_describe(found[1])}")
            if not await self.chat.wait_for_change(deadline):
                return

    async def wait_edit(self, message: BotMessage, timeout: float = 5.0) -> BotMessage:
        """Waits until ``message`` has been edited again and returns its new state."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            current = self.chat.bot_message(message.message_id)
            if current is None:
                raise LookupError(f"message #{message.message_id} was deleted while waiting")
            if current.edit_count > message.edit_count:
                return current
            if not await self.chat.wait_for_change(deadline):
                waited = f"Message #{message.message_id} was not edited"
                raise TimeoutError(self._explain(waited, timeout))

    def _callback_data(self, message: BotMessage, text: str | None, data: str | None) -> str:
        current = self.chat.bot_message(message.message_id)
        if current is None:
            raise LookupError(f"message #{message.message_id} is not in chat {self.chat_id}")
        if text is not None:
            button = current.find_button(text)
            if button is None:
                raise LookupError(f"no button {text!r}; buttons are {current.button_texts()}")
            if button.callback_data is None:
                raise ValueError(f"button {text!r} opens a URL; it has no callback data")
            return button.callback_data
        if data is None:
            raise TypeError("press() needs a button text or callback_data")
        datas = [b.callback_data for row in current.buttons for b in row]
        if data not in datas:
            raise LookupError(f"no button with callback_data {data!r} on #{message.message_id}")
        return data

    async def _press(
        self,
        user: SimulatedUser,
        message: BotMessage,
        text: str | None,
        callback_data: str | None,
        forge: bool,
        timeout: float,
    ) -> CallbackAnswer:
        if forge and callback_data is not None:
            data = callback_data
        else:
            data = self._callback_data(message, text, callback_data)
        return await self.emulator.press_button(
            self.chat, user.info, message.message_id, data, timeout, self._explain
        )


class SimulatedUser(_ChatView):
    """A Telegram user; their private chat with the bot has the user's id."""

    def __init__(self, emulator: TelegramEmulator, info: UserInfo, chat: ChatState) -> None:
        super().__init__(emulator, chat)
        self.info = info

    @property
    def user_id(self) -> int:
        """The user's Telegram id (also the private chat's id)."""
        return self.info.user_id

    async def send(self, text: str) -> dict[str, Any]:
        """Sends a text message to the bot; returns it as Telegram would."""
        return self.emulator.post_user_message(self.chat, self.info, text=text)

    async def send_document(
        self,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Sends a file; the bot can fetch it with getFile and download it."""
        document = Document(file_name, mime_type, content, caption)
        return self.emulator.post_user_message(self.chat, self.info, document=document)

    async def press(
        self,
        message: BotMessage,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        forge: bool = False,
        timeout: float = 5.0,
    ) -> CallbackAnswer:
        """Presses an inline button (by text or callback_data) and waits for the answer.

        ``forge=True`` sends ``callback_data`` even if no such button exists, as a
        modified client could.
        """
        return await self._press(self, message, text, callback_data, forge, timeout)


class SimulatedGroup(_ChatView):
    """A group the bot is a member of; any simulated user can talk in it."""

    def __init__(self, emulator: TelegramEmulator, chat: ChatState) -> None:
        super().__init__(emulator, chat)

    @property
    def title(self) -> str:
        """The group's title."""
        return self.chat.title or ""

    async def send(self, user: SimulatedUser, text: str) -> dict[str, Any]:
        """``user`` writes ``text`` in the group (delivered subject to privacy mode)."""
        return self.emulator.post_user_message(self.chat, user.info, text=text)

    async def press(
        self,
        user: SimulatedUser,
        message: BotMessage,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        forge: bool = False,
        timeout: float = 5.0,
    ) -> CallbackAnswer:
        """``user`` presses an inline button on a bot message in the group."""
        return await self._press(user, message, text, callback_data, forge, timeout)
