"""Button presses: the callback_query update, and answerCallbackQuery waited on by the user.

A simulated user pressing an inline button queues a callback_query update and waits for
the bot's answer; a query is answered at most once (a second answer, like an unknown id,
is "query is too old"), and the answer itself counts against the global flood limit.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.sandbox.args import JSON, Args, Handler
from bot.sandbox.chats import ChatState, UserInfo
from bot.sandbox.driver import CallbackAnswer
from bot.sandbox.errors import bad_request
from bot.sandbox.flood_control import FloodControl
from bot.sandbox.messages import Messages

MAX_CALLBACK_ANSWER_LENGTH = 200
QUERY_ID_INVALID = "query is too old and response timeout expired or query ID is invalid"


@dataclass
class CallbackQuery:
    """A button press waiting for answerCallbackQuery."""

    query_id: str
    chat_id: int
    data: str
    answer: asyncio.Future[CallbackAnswer]


@dataclass
class Callbacks:
    """The presses not yet answered, and answerCallbackQuery."""

    _flood: FloodControl
    _messages: Messages
    _enqueue: Callable[[str, JSON], None]
    _bot_id: int
    _pending: dict[str, CallbackQuery] = field(default_factory=dict)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def table(self) -> dict[str, Handler]:
        return {"answerCallbackQuery": self.answer_callback_query}

    async def press(
        self,
        chat: ChatState,
        user: UserInfo,
        message_id: int,
        data: str,
        timeout: float,
        explain: Callable[[str, float], str],
    ) -> CallbackAnswer:
        """A callback_query update for a button press; waits for the bot's answer."""
        record = chat.records.get(message_id)
        if record is None:
            raise LookupError(f"message #{message_id} is not in chat {chat.chat_id}")
        query_id = str(4_000_000_000_000_000 + next(self._counter))
        answer: asyncio.Future[CallbackAnswer] = asyncio.get_running_loop().create_future()
        self._pending[query_id] = CallbackQuery(query_id, chat.chat_id, data, answer)
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_json(),
                "message": self._messages.message_json(chat, record),
                "chat_instance": str(abs(hash((chat.chat_id, self._bot_id)))),
                "data": data,
            },
        )
        try:
            return await asyncio.wait_for(asyncio.shield(answer), timeout)
        except TimeoutError:
            waited = f"The bot did not answer the callback query (data={data!r})"
            raise TimeoutError(explain(waited, timeout)) from None

    async def answer_callback_query(self, args: Args) -> bool:
        query = self._pending.get(args.arg("callback_query_id"))
        if query is None:  # unknown and already answered look the same to Telegram
            raise bad_request(QUERY_ID_INVALID)
        text = args.arg("text")
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        url = args.arg("url")
        if url:
            raise bad_request("URL_INVALID")  # only game bots may open URLs here
        self._flood.check("answerCallbackQuery")
        del self._pending[query.query_id]
        if not query.answer.done():
            query.answer.set_result(CallbackAnswer(text or None, args.bool_arg("show_alert")))
        return True
