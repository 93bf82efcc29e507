"""The demo's terminal shows venue pins and saves pictures (the marked floor plans)."""

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image
from telegram import InputFile, Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from bot.sandbox.emulator import TelegramEmulator
from tests.sandbox.test_terminal import chat
from tests.support.bot_process import TOKEN


def plan() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(out, format="PNG")
    return out.getvalue()


async def on_where(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    assert chat is not None
    await chat.send_venue(24.7136, 46.6753, "Main Building", "1 Summit Avenue")
    await chat.send_photo(InputFile(plan(), filename="map.png"), caption="Diwan Room")


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def app(emulator: TelegramEmulator) -> AsyncIterator[None]:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emulator.api_base_url)
        .base_file_url(emulator.api_file_url)
        .build()
    )
    application.add_handler(CommandHandler("where", on_where))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


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
