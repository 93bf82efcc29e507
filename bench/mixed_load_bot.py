"""The bot for bench/mixed_load.py: `summitbot run` (polling), with either its own governor
or python-telegram-bot's stock `AIORateLimiter` in its place.

    python -m bench.mixed_load_bot CONFIG governor|stock
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter

from bot.config import load_settings
from bot.logs import configure_logging
from bot.telegram.application import build_application


class StockLimiter(AIORateLimiter):
    """AIORateLimiter as a bot without a governor would use it: the outbox's priority
    hints (`rate_limit_args`) mean nothing to it, so they are dropped."""

    async def process_request(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["rate_limit_args"] = None
        return await super().process_request(*args, **kwargs)


def main() -> None:
    config, limiter = sys.argv[1], sys.argv[2]
    settings = load_settings(Path(config))
    configure_logging(settings.logging, settings.telegram.token)
    stock = None
    if limiter == "stock":
        # Its defaults but the bot's rate, and three retries after a 429 (the default,
        # none, would give up every reply that met one).
        stock = StockLimiter(overall_max_rate=settings.delivery.messages_per_second, max_retries=3)
    application = build_application(settings, rate_limiter=stock)
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])


if __name__ == "__main__":
    main()
