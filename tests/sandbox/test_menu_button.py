"""setChatMenuButton / getChatMenuButton in the emulator, with raw httpx."""

from typing import Any

import pytest

from tests.sandbox.test_emulator_http import call


def web_app(url: str, text: str = "Programme") -> dict[str, Any]:
    return {"type": "web_app", "text": text, "web_app": {"url": url}}


async def test_default_button_is_commands_until_set(emulator, http):
    assert (await call(http, "getChatMenuButton"))[1]["result"] == {"type": "commands"}
    status, body = await call(http, "setChatMenuButton", menu_button=web_app("https://x.org/app/"))
    assert (status, body["result"]) == (200, True)
    assert emulator.menu_buttons.for_chat(None) == web_app("https://x.org/app/")
    assert (await call(http, "getChatMenuButton"))[1]["result"]["type"] == "web_app"


@pytest.mark.parametrize(
    "button",
    [
        web_app("http://example.org/app/"),  # Telegram wants https
        web_app("https://x.org/", text=" "),
        {"type": "web_app", "text": "P"},
        {"type": "popup"},
        "[]",
    ],
)
async def test_bad_buttons_are_refused(emulator, http, button):
    status, body = await call(http, "setChatMenuButton", menu_button=button)
    assert status == 400 and not body["ok"]
    assert emulator.menu_buttons.for_chat(None) == {"type": "commands"}


async def test_loopback_http_is_allowed_like_a_local_server(emulator, http):
    status, _ = await call(http, "setChatMenuButton", menu_button=web_app("http://127.0.0.1:8090/"))
    assert status == 200


async def test_per_chat_buttons_need_a_known_private_chat(emulator, http):
    status, body = await call(
        http, "setChatMenuButton", chat_id=77, menu_button=web_app("https://x.org/")
    )
    assert status == 400 and "chat not found" in body["description"]
    user = emulator.user(77)
    await user.send("hello")
    await call(http, "setChatMenuButton", chat_id=77, menu_button=web_app("https://x.org/77"))
    assert emulator.menu_buttons.for_chat(77)["web_app"]["url"] == "https://x.org/77"
    assert emulator.menu_buttons.for_chat(78) == {"type": "commands"}
    await call(http, "setChatMenuButton", chat_id=77, menu_button={"type": "default"})
    assert emulator.menu_buttons.for_chat(77) == {"type": "commands"}
