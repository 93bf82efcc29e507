"""The emulator's HTTP protocol, long polling, faults and driver helpers, with raw httpx."""

import asyncio
import json
from typing import Any

import httpx
import pytest

from bot.sandbox.driver import ChatEvent
from bot.sandbox.emulator import Faults, TelegramEmulator
from tests.support.bot_process import TOKEN


async def call(http: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    response = await http.post(method, data=form)
    return response.status_code, response.json()


def failure(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


async def test_unknown_method_wrong_token_and_case_insensitive_names(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    assert await call(http, "getNothing") == (404, failure(404, "Not Found"))
    status, body = await call(http, "GETME")
    assert status == 200 and body["result"]["username"] == "SummitDemoBot"
    async with httpx.AsyncClient() as raw:
        response = await raw.get(f"{emulator.api_base_url}123456:WRONG/getMe")
    assert (response.status_code, response.json()) == (401, failure(401, "Unauthorized"))


async def test_json_bodies_and_query_strings(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    await emulator.user(1001).send("hi")
    response = await http.post("sendMessage", json={"chat_id": 1001, "text": "json"})
    assert response.json()["result"]["text"] == "json"
    response = await http.get("sendMessage", params={"chat_id": "1001", "text": "query"})
    assert response.json()["result"]["chat"] == {
        "id": 1001,
        "type": "private",
        "first_name": "User1001",
    }
    assert [m.text for m in emulator.user(1001).messages] == ["json", "query"]


async def test_parameter_errors_use_bot_api_wording(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    await emulator.user(1001).send("hi")
    assert await call(http, "sendMessage", text="x") == (
        400,
        failure(400, "Bad Request: chat_id is empty"),
    )
    assert (await call(http, "sendMessage", chat_id="@nobody", text="x"))[1]["description"] == (
        "Bad Request: chat not found"
    )
    _, body = await call(http, "sendMessage", chat_id=1001, text="x", reply_markup="{oops")
    assert body["description"] == "Bad Request: can't parse reply keyboard markup JSON object"
    _, body = await call(
        http,
        "sendMessage",
        chat_id=1001,
        text="x",
        reply_markup={"inline_keyboard": [[{"text": "t"}]]},
    )
    assert body["description"] == (
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the "
        "inline keyboard"
    )
    _, body = await call(http, "sendMessage", chat_id=1001, text="*x*", parse_mode="MarkdownV2")
    assert "supports" in body["description"] or "only HTML" in body["description"]
    _, body = await call(http, "sendMessage", chat_id=1001, text="x", parse_mode="Foo")
    assert body["description"] == "Bad Request: unsupported parse_mode"
    _, body = await call(http, "sendChatAction", chat_id=1001, action="dancing")
    assert body["description"] == "Bad Request: wrong parameter action in request"
    _, body = await call(http, "deleteMessage", chat_id=1001, message_id=99)
    assert body["description"] == "Bad Request: message to delete not found"
    _, body = await call(http, "getFile", file_id="nope")
    assert body["description"] == "Bad Request: invalid file_id"


async def test_explicit_entities_and_reply_parameters(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    question = await emulator.user(1001).send("question")
    entities = [
        {"type": "italic", "offset": 0, "length": 3},
        {"type": "url", "offset": 0, "length": 1},
    ]
    _, body = await call(
        http,
        "sendMessage",
        chat_id=1001,
        text="  hey  ",
        entities=entities,
        reply_parameters={"message_id": question["message_id"]},
    )
    result = body["result"]
    assert result["text"] == "  hey"  # the left trim stops at the first entity
    assert result["entities"] == [{"type": "italic", "offset": 0, "length": 3}]
    assert result["reply_to_message"]["text"] == "question"
    _, body = await call(
        http, "sendMessage", chat_id=1001, text="x", reply_parameters={"message_id": 77}
    )
    assert body["description"] == "Bad Request: message to be replied not found"


async def test_a_newer_get_updates_terminates_the_older_one(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    first = asyncio.create_task(call(http, "getUpdates", timeout=5))
    for _ in range(500):  # wait until the server holds it (recorded on arrival)
        if any(r.method == "getUpdates" for r in emulator.requests):
            break
        await asyncio.sleep(0.01)
    second = asyncio.create_task(call(http, "getUpdates", timeout=5))
    assert await first == (
        409,
        failure(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running",
        ),
    )
    await emulator.user(1001).send("/start")
    status, body = await second
    assert status == 200 and body["result"][0]["message"]["text"] == "/start"


async def test_updates_are_confirmed_by_offset(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    user = emulator.user(1001)
    for text in ("a", "b", "c"):
        await user.send(text)
    _, body = await call(http, "getUpdates", limit=2)
    ids = [u["update_id"] for u in body["result"]]
    assert len(ids) == 2 and ids[1] == ids[0] + 1
    _, body = await call(http, "getUpdates", offset=ids[1] + 1)
    assert [u["message"]["text"] for u in body["result"]] == ["c"]
    assert emulator.pending_update_count == 1


async def test_webhook_blocks_get_updates(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    await emulator.user(1001).send("pending")
    assert (await call(http, "setWebhook", url="https://bot.example/hook", secret_token="s3"))[
        0
    ] == 200
    _, info = await call(http, "getWebhookInfo")
    assert info["result"]["url"] == "https://bot.example/hook"
    assert info["result"]["pending_update_count"] == 1
    assert await call(http, "getUpdates") == (
        409,
        failure(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
            "to delete the webhook first",
        ),
    )
    await call(http, "deleteWebhook", drop_pending_updates=True)
    assert await call(http, "getUpdates") == (200, {"ok": True, "result": []})


async def test_injected_errors_are_not_delivered(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    user = emulator.user(1001)
    await user.send("hi")
    emulator.faults = Faults(error_rate=1.0, error_codes=(502,))
    assert await call(http, "sendMessage", chat_id=1001, text="lost") == (
        502,
        failure(502, "Bad Gateway"),
    )
    emulator.faults = Faults(slow_rate=1.0, slow_seconds=1.0)
    slow = asyncio.create_task(call(http, "sendMessage", chat_id=1001, text="slow"))
    arrived = await user.reply(timeout=2)
    assert arrived.text == "slow" and not slow.done()
    assert (await slow)[0] == 200
    assert emulator.stats["502"] == 1


async def test_reply_timeout_explains_what_happened(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    user = emulator.user(1001)
    await user.send("hi")
    await call(http, "sendMessage", chat_id=1001, text="<b>unclosed", parse_mode="HTML")
    with pytest.raises(TimeoutError) as caught:
        await user.reply(timeout=0.1)
    assert "can't parse entities" in str(caught.value)
    assert "Bot messages so far" in str(caught.value)


async def test_subscribers_see_messages_edits_and_deletions(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    user = emulator.user(1001)
    await user.send("hi")
    events = user.subscribe()
    _, sent = await call(
        http,
        "sendMessage",
        chat_id=1001,
        text="v1",
        reply_markup={"inline_keyboard": [[{"text": "go", "callback_data": "g"}]]},
    )
    message_id = sent["result"]["message_id"]
    await call(http, "editMessageReplyMarkup", chat_id=1001, message_id=message_id)
    _, body = await call(http, "editMessageReplyMarkup", chat_id=1001, message_id=message_id)
    assert body["description"].startswith("Bad Request: message is not modified")
    await call(http, "deleteMessage", chat_id=1001, message_id=message_id)
    kinds: list[ChatEvent] = [events.get_nowait() for _ in range(3)]
    assert [e.kind for e in kinds] == ["message", "edit", "delete"]
    assert kinds[0].message.buttons[0][0].callback_data == "g"
    assert kinds[1].message.buttons == []
    assert user.messages == []


async def test_uploads_by_multipart_and_downloads(
    emulator: TelegramEmulator, http: httpx.AsyncClient
) -> None:
    await emulator.user(1001).send("hi")
    response = await http.post(
        "sendDocument",
        data={"chat_id": "1001", "caption": "list"},
        files={"document": ("people.csv", b"name\nAmina\n", "text/csv")},
    )
    document = response.json()["result"]["document"]
    _, body = await call(http, "getFile", file_id=document["file_id"])
    path = body["result"]["file_path"]
    async with httpx.AsyncClient() as raw:
        download = await raw.get(f"{emulator.api_file_url}{TOKEN}/{path}")
        missing = await raw.get(f"{emulator.api_file_url}{TOKEN}/documents/none")
    assert download.content == b"name\nAmina\n"
    assert missing.status_code == 404
    _, body = await call(http, "sendDocument", chat_id=1001)
    assert body["description"] == "Bad Request: there is no document in the request"
