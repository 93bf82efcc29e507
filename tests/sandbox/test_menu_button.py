"""setChatMenuButton / getChatMenuButton in the emulator, with raw httpx."""

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.sandbox.emulator import TelegramEmulator
from tests.sandbox.test_emulator_http import TOKEN, call


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
async def http(emu: TelegramEmulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{emu.api_base_url}{TOKEN}/") as client:
        yield client


def web_app(url: str, text: str = "Programme") -> dict[str, object]:
    return {"type": "web_app", "text": text, "web_app": {"url": url}}


async def test_default_button_is_commands_until_set(emu, http):
    assert (await call(http, "getChatMenuButton"))[1]["result"] == {"type": "commands"}
    status, body = await call(http, "setChatMenuButton", menu_button=web_app("https://x.org/app/"))
    assert (status, body["result"]) == (200, True)
    assert emu.menu_buttons.for_chat(None) == web_app("https://x.org/app/")
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
async def test_bad_buttons_are_refused(emu, http, button):
    status, body = await call(http, "setChatMenuButton", menu_button=button)
    assert status == 400 and not body["ok"]
    assert emu.menu_buttons.for_chat(None) == {"type": "commands"}


async def test_loopback_http_is_allowed_like_a_local_server(emu, http):
    status, _ = await call(http, "setChatMenuButton", menu_button=web_app("http://127.0.0.1:8090/"))
    assert status == 200


async def test_per_chat_buttons_need_a_known_private_chat(emu, http):
    status, body = await call(
        http, "setChatMenuButton", chat_id=77, menu_button=web_app("https://x.org/")
    )
    assert status == 400 and "chat not found" in body["description"]
    user = emu.user(77)
    await user.send("hello")
    await call(http, "setChatMenuButton", chat_id=77, menu_button=web_app("https://x.org/77"))
    assert emu.menu_buttons.for_chat(77)["web_app"]["url"] == "https://x.org/77"
    assert emu.menu_buttons.for_chat(78) == {"type": "commands"}
    await call(http, "setChatMenuButton", chat_id=77, menu_button={"type": "default"})
    assert emu.menu_buttons.for_chat(77) == {"type": "commands"}
