"""The emulator's parts on their own, without HTTP: the rules each Bot API area keeps."""

import asyncio
from typing import Any

import pytest

from bot.sandbox.args import Args, Upload, to_integer
from bot.sandbox.chats import BotRecord, Chats, ChatState, UserInfo
from bot.sandbox.commands import checked_command
from bot.sandbox.dispatch import Dispatcher
from bot.sandbox.driver import BotMessage, Document
from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.files import FileStore
from bot.sandbox.flood_control import Faults, FloodControl
from bot.sandbox.messages import Messages
from bot.sandbox.ratelimit import RateLimits, Violation
from bot.sandbox.updates import UpdateQueue
from bot.sandbox.webhooks import valid_webhook_url


def args(**values: str) -> Args:
    return Args(dict(values), {})


def private_chat(user_id: int = 1001, *, known: bool = True) -> ChatState:
    chat = ChatState(user_id, "private", None, UserInfo(user_id, "Amina"))
    chat.known = known
    return chat


def test_bad_request_lowers_prose_but_keeps_error_codes() -> None:
    assert bad_request("Message text is empty").description == "Bad Request: message text is empty"
    assert bad_request("BUTTON_DATA_INVALID").description == "Bad Request: BUTTON_DATA_INVALID"


def test_integers_read_leniently_and_files_by_attach_reference() -> None:
    assert [to_integer(v) for v in ("42", "-7x", "abc", "")] == [42, -7, 0, 0]
    plan = Upload("plan.png", "image/png", b"png")
    direct = Args({}, {"photo": plan})
    attached = Args({"photo": "attach://file0"}, {"file0": plan})
    by_id = Args({"photo": "AgAC..."}, {})
    assert direct.upload("photo") == (plan, "")
    assert attached.upload("photo") == (plan, "attach://file0")
    assert by_id.upload("photo") == (None, "AgAC...")


def test_chats_refuse_unknown_blocked_and_first_contact() -> None:
    chats = Chats()
    stranger = chats.add(private_chat(1002, known=False))
    assert stranger.user is not None
    stranger.user.seen_by_bot = True  # met in a group, never opened the private chat
    blocked = chats.add(private_chat(1003))
    blocked.blocked = True

    def refusal(chat_id: str, write: bool) -> str:
        with pytest.raises(ApiError) as caught:
            chats.checked(args(chat_id=chat_id), write=write)
        return caught.value.description

    assert refusal("", True) == "Bad Request: chat_id is empty"
    assert refusal("999", False) == "Bad Request: chat not found"
    assert refusal("1002", True) == "Forbidden: bot can't initiate conversation with a user"
    assert refusal("1002", False) == "Bad Request: chat not found"
    assert refusal("1003", True) == "Forbidden: bot was blocked by the user"
    assert chats.checked(args(chat_id="1003"), write=False) is blocked


def test_opt_in_updates_are_dropped_unless_allowed() -> None:
    queue = UpdateQueue()
    queue.enqueue("message_reaction", {})
    queue.enqueue("message", {"text": "hi"})
    assert [u["update_id"] for u in queue.pending] == [1]
    queue.restrict(["message_reaction"])
    queue.enqueue("message", {"text": "not wanted now"})
    queue.enqueue("message_reaction", {})
    assert [next(k for k in u if k != "update_id") for u in queue.pending] == [
        "message",
        "message_reaction",
    ]


def test_webhook_acknowledgements_out_of_order_keep_the_queue_contiguous() -> None:
    queue = UpdateQueue()
    for text in ("a", "b", "c"):
        queue.enqueue("message", {"text": text})
    queue.acknowledge(3)
    assert queue.pending_count == 2 and [u["update_id"] for u in queue.unacknowledged()] == [1, 2]
    queue.acknowledge(1)
    assert [u["update_id"] for u in queue.pending] == [2, 3]
    queue.forget_acknowledged()  # delivery stopped: 3 was delivered, 2 still waits
    assert [u["update_id"] for u in queue.pending] == [2]


async def test_a_newer_get_updates_ends_a_held_one_with_409() -> None:
    queue = UpdateQueue()
    held = asyncio.create_task(queue.get_updates(args(timeout="5"), None))
    await asyncio.sleep(0)
    assert await queue.get_updates(args(), None) == []
    with pytest.raises(ApiError) as caught:
        await held
    assert caught.value.code == 409 and "terminated by other getUpdates" in caught.value.description


def test_new_limits_keep_the_violations_and_new_faults_restart_their_sequence() -> None:
    flood = FloodControl(RateLimits(), Faults(error_rate=0.5, seed=7))
    chat = private_chat()

    def outcomes() -> list[int]:
        codes = []
        for _ in range(20):
            try:
                flood.check_with_faults(chat, "sendMessage")
                codes.append(200)
            except ApiError as error:
                codes.append(error.code)
        return codes

    flood.configure(limits=RateLimits(global_per_second=None, per_chat_per_second=None))
    first = outcomes()
    assert {500, 502, 200} >= set(first) and 200 in first and set(first) != {200}
    flood.configure(faults=Faults(error_rate=0.5, seed=7))
    assert outcomes() == first
    earlier = Violation(0.0, "sendMessage", 1001, "chat", 1.0)
    flood.violations.append(earlier)
    flood.configure(limits=RateLimits())
    assert flood.violations == [earlier]


async def test_one_send_path_for_text_and_for_messages_without_text() -> None:
    chats, files = Chats(), FileStore(bot_id=123456)
    chat = chats.add(private_chat())
    flood = FloodControl(RateLimits(), Faults())
    messages = Messages(chats, flood, files, lambda: {"id": 123456, "is_bot": True})
    html = args(chat_id="1001", text="<b>Hi</b>", parse_mode="HTML")
    sent = await messages.send_message(html)
    assert (sent["text"], sent["entities"]) == ("Hi", [{"type": "bold", "offset": 0, "length": 2}])
    place: Any = await messages.send(chat, args(parse_mode="HTML"), "sendLocation", None)
    view = chat.records[place["message_id"]].view
    assert (view.text, view.parse_mode, view.html) == ("", None, None)
    assert [m.html for m in chat.bot_messages()] == ["<b>Hi</b>", None]


def test_message_json_of_a_document_names_the_stored_file() -> None:
    chats, files = Chats(), FileStore(bot_id=123456)
    chat = chats.add(private_chat())
    stored = files.store(b"a,b\n", "sessions.csv", "text/csv")
    assert stored.file_path == "documents/file_1.csv" and files.at(stored.file_path) is stored
    messages = Messages(chats, FloodControl(RateLimits(), Faults()), files, dict)
    view = BotMessage(
        1,
        1001,
        "",
        None,
        None,
        [],
        [],
        Document(None, None, b"", None, stored.file_id),
        0,
        0,
        False,
    )
    assert messages.message_json(chat, BotRecord(view, None))["document"] == stored.document_json()


async def test_dispatch_checks_the_token_then_the_method_case_insensitively() -> None:
    async def get_me(_: Args) -> dict[str, Any]:
        return {"id": 1}

    dispatcher = Dispatcher("1:T", {"getMe": get_me}, Chats(), UpdateQueue())
    assert (await dispatcher.handle("1:T", "GETME", args()))[0] == 200
    assert (await dispatcher.handle("1:X", "getMe", args()))[0] == 401
    assert (await dispatcher.handle("1:T", "sendSticker", args()))[0] == 404
    assert [(r.method, r.status) for r in dispatcher.requests] == [
        ("getMe", 200),
        ("getMe", 401),
        ("sendSticker", 404),
    ]
    assert dispatcher.stats == {"getMe": 2, "sendSticker": 1, "401": 1, "404": 1}


def test_command_and_webhook_url_checks() -> None:
    assert checked_command(" /agenda ", " Your agenda ") == ("agenda", "Your agenda")
    with pytest.raises(ApiError, match="BOT_COMMAND_INVALID"):
        checked_command("Agenda", "Your agenda")
    assert valid_webhook_url("http://127.0.0.1:8443/hook")
    assert not valid_webhook_url("ftp://bot.example/hook")
    assert not valid_webhook_url("https://bot.example:0/hook")
