"""A real PTB Application running against the emulator, for tests that need a bot."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder, BaseHandler

from bot.sandbox.emulator import TelegramEmulator

App = Application[Any, Any, Any, Any, Any, Any]


@asynccontextmanager
async def running_app(
    emulator: TelegramEmulator,
    handlers: Sequence[BaseHandler[Any, Any, Any]],
    webhook: dict[str, Any] | None = None,
) -> AsyncIterator[App]:
    """The application with these handlers, polling the emulator, or receiving on its own
    webhook server when ``webhook`` gives ``Updater.start_webhook``'s arguments."""
    application = (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(emulator.api_base_url)
        .base_file_url(emulator.api_file_url)
        .build()
    )
    for handler in handlers:
        application.add_handler(handler)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    if webhook is None:
        await application.updater.start_polling(poll_interval=0, timeout=1)
    else:
        await application.updater.start_webhook(**webhook)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
