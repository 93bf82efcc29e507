"""Webhook mode: the Mini App rides on the webhook's own server, under webapp.url's path."""

import httpx
import pytest

from tests.e2e.conftest import ORGANIZER_ID
from tests.support.bot_process import BotProcess, summitbot, write_config
from tests.support.summit_files import write_summit
from tests.support.webapp import free_port, mini_app

pytestmark = pytest.mark.e2e


async def test_webhook_server_serves_the_mini_app(tmp_path, emulator):
    port = free_port()
    unused = free_port()  # webapp.port is not used in webhook mode
    config = write_config(tmp_path, emulator.api_base_url, organizers=(ORGANIZER_ID,))
    text = config.read_text().replace(
        "[telegram]\n",
        f'[telegram]\nmode = "webhook"\nwebhook_url = "http://127.0.0.1:{port}/telegram"\n'
        f'listen = "127.0.0.1"\nport = {port}\nsecret_token = "s3cret"\n',
        1,
    )
    text += f'\n[webapp]\nurl = "https://summit.example.org/console/"\nport = {unused}\n'
    config.write_text(text)
    paths = write_summit(tmp_path)
    assert (await summitbot("import", "--config", str(config), *paths)).code == 0
    bot = BotProcess(config, tmp_path / "bot.log")
    await bot.start(emulator, ready="setWebhook")
    try:
        async with httpx.AsyncClient() as client:
            page = await client.get(f"http://127.0.0.1:{port}/console/")
            assert page.status_code == 200 and "app.js" in page.text
        async with mini_app(port) as app:
            app.base = f"http://127.0.0.1:{port}/console/"
            me = await app.call("me", ORGANIZER_ID)
            assert me.status_code == 200 and me.json()["organizer"] is True
        with pytest.raises(httpx.ConnectError):
            async with httpx.AsyncClient() as client:
                await client.get(f"http://127.0.0.1:{unused}/console/")
        assert emulator.menu_buttons.for_chat(None)["web_app"]["url"] == (
            "https://summit.example.org/console/"
        )
    finally:
        assert await bot.stop() == 0
        assert "Traceback" not in bot.log()
