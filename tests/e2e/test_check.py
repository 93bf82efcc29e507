"""`summitbot check --online` tries the token against the Bot API (the emulator)."""

import pytest

from tests.support.bot_process import summitbot, write_config

pytestmark = pytest.mark.e2e


async def test_online_check_accepts_the_right_token(tmp_path, emulator):
    config = write_config(tmp_path, emulator.api_base_url)
    result = await summitbot("check", "--online", "--config", str(config))
    assert result.code == 0, result.stderr
    assert f"{emulator.api_base_url}: getMe answered: @{emulator.bot_username}" in result.stdout
    assert [r.method for r in emulator.requests] == ["getMe"]


async def test_online_check_names_a_wrong_token(tmp_path, emulator):
    config = write_config(tmp_path, emulator.api_base_url)
    config.write_text(config.read_text().replace("TEST-token", "WRONG-token"))
    result = await summitbot("--config", str(config), "check", "--online")
    assert result.code == 2
    lines = result.stderr.splitlines()  # the config's DEBUG logging goes there too
    assert [line for line in lines if "getMe failed" in line] == [
        f"{config}: telegram.token: getMe failed (the Bot API at {emulator.api_base_url} "
        "rejected the token) — copy the token from @BotFather again"
    ]
    assert lines[-1] == "summitbot check: 1 problem(s)"
    assert "WRONG-token" not in result.stderr + result.stdout, "the token is never printed"


async def test_online_check_names_an_unreachable_api(tmp_path):
    config = write_config(tmp_path, "http://127.0.0.1:9/bot")
    result = await summitbot("--config", str(config), "check", "--online")
    assert result.code == 2
    [line] = [line for line in result.stderr.splitlines() if "getMe failed" in line]
    assert line.startswith(f"{config}: telegram.token / telegram.api_base_url: getMe failed (")
    assert line.endswith("— check the token and that the Bot API is reachable")


async def test_offline_check_does_not_call_telegram(tmp_path, emulator):
    config = write_config(tmp_path, emulator.api_base_url)
    result = await summitbot("check", "--config", str(config))
    assert result.code == 0, result.stderr
    assert emulator.requests == []
