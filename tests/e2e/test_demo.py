"""`summitbot demo` as a person runs it: type /agenda, see today's sessions."""

import asyncio
from datetime import datetime

import pytest

from bot.sandbox.demo import DEMO_SUMMIT
from bot.sandbox.demo_summit import build_demo_summit
from tests.support.bot_process import child_environment, summitbot_command

pytestmark = pytest.mark.e2e


async def test_demo_chat_answers_agenda_with_the_personas_sessions(tmp_path):
    process = await asyncio.create_subprocess_exec(
        *summitbot_command(),
        "demo",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
        env=child_environment(),
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(b"/agenda\n/next\n:quit\n"), 90)
    output = stdout.decode()
    assert process.returncode == 0, stderr.decode()
    summit = build_demo_summit(datetime.now(DEMO_SUMMIT.timezone).date())
    assert "session on your agenda" in output or "sessions on your agenda" in output
    assert "Plenary" in output or "plenary" in output
    assert "Traceback" not in output + stderr.decode()
    assert summit.personas  # the persona the chat starts as is the first one
