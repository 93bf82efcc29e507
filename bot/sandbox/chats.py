"""The chats the bot can see: users, groups, and the messages in each.

``ChatState`` is one chat as the emulator keeps it: the bot's messages in their current
state (``BotRecord``), what users wrote, and the waiters and subscribers the driver uses to
watch it. ``Chats`` is the registry, with check_chat's rules for which chats a method may
read or write.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

from bot.sandbox.args import JSON, Args, to_integer
from bot.sandbox.driver import BotMessage, ChatEvent
from bot.sandbox.errors import bad_request, forbidden


@dataclass
class UserInfo:
    """A simulated Telegram user."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    seen_by_bot: bool = False

    def to_json(self) -> JSON:
        """The User object."""
        user: JSON = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class BotRecord:
    """A bot message: the driver's view plus what only the API response needs."""

    view: BotMessage
    markup: JSON | None
    reply_to: JSON | None = None
    edit_date: int | None = None


class ChatState:
    """One chat: its messages, and the waiters and subscribers watching it.

    Bot message ids are kept in an append-only list, so readers can remember how far
    they have read with a single index and nothing is ever rescanned.
    """

    def __init__(self, chat_id: int, kind: str, title: str | None, user: UserInfo | None) -> None:
        self.chat_id = chat_id
        self.kind = kind
        self.title = title
        self.user = user
        self.known = kind != "private"
        self.blocked = False
        self._next_message_id = 1
        self.records: dict[int, BotRecord] = {}
        self.incoming: dict[int, JSON] = {}
        self._order: list[int] = []
        self._subscribers: list[asyncio.Queue[ChatEvent]] = []
        self._changed = asyncio.Event()
        self.recent_errors: deque[str] = deque(maxlen=5)

    @property
    def is_group(self) -> bool:
        """Groups and supergroups share flood limits and privacy mode."""
        return self.kind != "private"

    def to_json(self) -> JSON:
        """The Chat object."""
        if self.user is None:
            return {"id": self.chat_id, "title": self.title or "", "type": self.kind}
        chat = {"id": self.chat_id, "type": "private"}
        user = self.user.to_json()
        chat.update({k: user[k] for k in ("first_name", "last_name", "username") if k in user})
        return chat

    def new_message_id(self) -> int:
        """Message ids grow by one per message, shared by users and the bot."""
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def add(self, record: BotRecord) -> None:
        """Stores a new bot message and tells everyone watching."""
        self.records[record.view.message_id] = record
        self._order.append(record.view.message_id)
        self.publish(ChatEvent("message", record.view))

    def publish(self, event: ChatEvent) -> None:
        """Wakes waiters and feeds subscribers."""
        for queue in self._subscribers:
            queue.put_nowait(event)
        self._changed.set()
        self._changed = asyncio.Event()

    def subscribe(self) -> asyncio.Queue[ChatEvent]:
        """A queue of every later event in this chat."""
        queue: asyncio.Queue[ChatEvent] = asyncio.Queue()
        self._subscribers.append(queue)
        return queue

    async def wait_for_change(self, deadline: float) -> bool:
        """Waits for the next change until ``deadline`` (loop time); False on timeout."""
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            return False
        try:
            await asyncio.wait_for(self._changed.wait(), remaining)
        except TimeoutError:
            return False
        return True

    def bot_message(self, message_id: int) -> BotMessage | None:
        """Current state of a bot message, None if it never existed or was deleted."""
        record = self.records.get(message_id)
        return record.view if record else None

    def bot_messages(self) -> list[BotMessage]:
        """All bot messages still in the chat, oldest first."""
        return [self.records[i].view for i in self._order if i in self.records]

    def next_bot_message(self, cursor: int) -> tuple[int, BotMessage] | None:
        """The first bot message at or after ``cursor`` that still exists, and the new cursor."""
        while cursor < len(self._order):
            record = self.records.get(self._order[cursor])
            cursor += 1
            if record is not None:
                return cursor, record.view
        return None


class Chats:
    """Every chat by id, and check_chat: which of them a method may read or write."""

    def __init__(self) -> None:
        self.by_id: dict[int, ChatState] = {}

    def add(self, chat: ChatState) -> ChatState:
        self.by_id[chat.chat_id] = chat
        return chat

    def get(self, chat_id: int) -> ChatState | None:
        return self.by_id.get(chat_id)

    def knows(self, chat_id: int) -> bool:
        """The bot has met this chat (a user wrote to it, or it is a group it is in)."""
        chat = self.by_id.get(chat_id)
        return chat is not None and chat.known

    def knows_private_chat(self, chat_id: int) -> bool:
        chat = self.by_id.get(chat_id)
        return chat is not None and chat.known and not chat.is_group

    def checked(self, args: Args, *, write: bool) -> ChatState:
        """check_chat: the chat must be one the bot has seen; blocked users refuse writes.

        A user the bot met in a group but who never opened the private chat cannot be
        written to first: that is a 403, not "chat not found".
        """
        raw = args.arg("chat_id")
        if not raw:
            raise bad_request("chat_id is empty")
        chat = self.by_id.get(to_integer(raw))
        if chat is not None and not chat.known and chat.user and chat.user.seen_by_bot and write:
            raise forbidden("bot can't initiate conversation with a user")
        if chat is None or not chat.known:
            raise bad_request("chat not found")
        if write and chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat
