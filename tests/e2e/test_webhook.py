"""Webhook mode: the secret is checked, and replies travel back in the webhook response."""

import asyncio
import socket
from datetime import UTC, datetime

import httpx
import pytest

from tests.support.bot_process import BotProcess, invite_codes, summitbot, write_config
from tests.support.summit_files import DAY1, DAY3, at, to_csv, write_summit

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def message_update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    entities = (
        [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if text.startswith("/")
        else []
    )
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": user_id, "is_bot": False, "first_name": "Alice", "language_code": "en"},
            "chat": {"id": user_id, "type": "private", "first_name": "Alice"},
            "date": int(datetime.now(UTC).timestamp()),
            "text": text,
            "entities": entities,
        },
    }


async def test_webhook_checks_the_secret_and_answers_inside_the_response(tmp_path, emulator):
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram"
    extra = (
        f'[telegram]\nmode = "webhook"\nwebhook_url = "{hook}"\nlisten = "127.0.0.1"\n'
        f'port = {port}\nsecret_token = "right-secret"\n'
    )
    config = write_config(tmp_path, emulator.api_base_url)
    # [telegram] is already in the file: add the webhook keys to it.
    text = config.read_text().replace(
        "[telegram]\n", extra.split("\n", 1)[0] + "\n" + extra.split("\n", 1)[1], 1
    )
    config.write_text(text)
    paths = write_summit(tmp_path)
    assert (await summitbot("import", "--config", str(config), *paths)).code == 0
    codes = await invite_codes(config)
    bot = BotProcess(config, tmp_path / "bot.log")
    await bot.start(emulator, ready="setWebhook")
    try:
        [registration] = [r for r in emulator.requests if r.method == "setWebhook"]
        assert registration.params["url"] == hook
        assert registration.params["secret_token"] == "right-secret"
        async with httpx.AsyncClient() as client:
            update = message_update(1, 4242, "/help")
            wrong = await client.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            assert wrong.status_code == 403
            missing = await client.post(hook, json=update)
            assert missing.status_code == 403
        # Through the emulator, which delivers updates by webhook as Telegram does.
        alice = emulator.user(4242, first_name="Alice")
        await alice.send(f"/start {codes['alice']}")
        assert "Welcome, Alice Arnaud!" in (await alice.reply()).text
        await alice.send(f"/agenda {DAY1.isoformat()}")
        agenda = await alice.reply()
        assert "Opening plenary" in agenda.text
        # A person reads the day before pressing ▶. The governor's global burst is a tenth
        # of a second's budget, and a press costs two calls (the answer and the edit): a
        # press within milliseconds of the previous answers may rightly go through the API.
        await asyncio.sleep(0.2)
        await alice.press(agenda, agenda.button_texts()[-1])
        assert "Crisis management" not in (await alice.wait_edit(agenda)).text
        answers = [r for r in emulator.requests if r.method in ("sendMessage", "editMessageText")]
        assert len(answers) == 3
        # One round trip each: every answer travelled inside a webhook response.
        assert all(r.via == "webhook-response" for r in answers), answers
        # A day too long for one message: the held first part must still come first.
        rows = [["id", "title", "start", "end", "room"]]
        attendance = [["delegate_id", "session_id"]]
        for i in range(120):
            rows.append(
                [
                    f"w{i:03d}",
                    f"Working group {i:03d} " + "x" * 40,
                    at(DAY3, "08:00"),
                    at(DAY3, "20:00"),
                    "R",
                ]
            )
            attendance.append(["alice", f"w{i:03d}"])
        (tmp_path / "more.csv").write_bytes(to_csv(rows))
        (tmp_path / "more-attendance.csv").write_bytes(to_csv(attendance))
        more = [str(tmp_path / "more.csv"), str(tmp_path / "more-attendance.csv")]
        assert (await summitbot("import", "--config", str(config), *more)).code == 0
        await alice.send(f"/agenda {DAY3.isoformat()}")
        parts = [await alice.reply()]
        while not parts[-1].buttons:
            parts.append(await alice.reply())
        assert len(parts) > 1
        text = "\n".join(part.text for part in parts)
        positions = [text.index(f"Working group {i:03d}") for i in range(120)]
        assert positions == sorted(positions)
        assert parts[0].text.startswith("Wednesday") or "2030" in parts[0].text.split("\n")[0]
    finally:
        assert await bot.stop() == 0
    assert "Traceback" not in bot.log()
