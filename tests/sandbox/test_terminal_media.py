"""The demo's terminal shows venue pins and saves pictures (the marked floor plans)."""

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image
from telegram import InputFile, Update
from telegram.ext import CommandHandler, ContextTypes

from bot.sandbox.emulator import TelegramEmulator
from tests.sandbox.ptb_app import running_app
from tests.sandbox.test_terminal import chat


def plan() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(out, format="PNG")
    return out.getvalue()


async def on_where(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    assert chat is not None
    await chat.send_venue(24.7136, 46.6753, "Main Building", "1 Summit Avenue")
    await chat.send_photo(InputFile(plan(), filename="map.png"), caption="Diwan Room")


pytestmark = pytest.mark.usefixtures("ptb_timedelta")


@pytest.fixture
async def app(emulator: TelegramEmulator) -> AsyncIterator[None]:
    async with running_app(emulator, [CommandHandler("where", on_where)]):
        yield


@pytest.mark.usefixtures("app")
async def test_venue_and_picture_in_the_terminal(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    transcript = await chat(emulator, ["/where diwan"], tmp_path)
    assert "│ 📍 Main Building — 1 Summit Avenue" in transcript
    assert "│    24.713600, 46.675300 (a map pin)" in transcript
    saved = next((tmp_path / "downloads").glob("picture-*.png"))
    assert saved.read_bytes() == plan()
    assert f"│ 🖼 a picture, 120×80 saved to {saved}" in transcript
    assert "│ Diwan Room" in transcript
