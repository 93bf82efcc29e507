"""The baseline for bench/interactive.py: python-telegram-bot doing the same Telegram I/O
as Summit Bot and no work of its own.

    python -m bench.echo_bot --token T --base-url URL [--mode webhook --webhook-url U --port P]

One MessageHandler answers every text with the same text (as HTML, like the bot's
replies); a text starting with /agenda gets two inline buttons, as the bot's day agenda
does, so the simulated delegates can press them. One CallbackQueryHandler answers the
press and edits the pressed message, as the bot's day buttons do. Everything else is
python-telegram-bot's defaults (its connection pools, its polling), except that
`--concurrent-updates` sets how many updates are handled at once: bench/interactive.py
gives it the bot's own number, so that the two differ only in the work they do per
update. What this process costs per update is the floor the library and the emulator
set, and the bot's figures are read as ratios to it.
"""

from __future__ import annotations

import argparse
import html
import logging
import sys
from collections.abc import Sequence
from urllib.parse import urlparse

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

BUTTONS = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("◀", callback_data="echo:prev"),
            InlineKeyboardButton("▶", callback_data="echo:next"),
        ]
    ]
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back; /agenda gets the day buttons the bot would attach."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    markup = BUTTONS if message.text.startswith("/agenda") else None
    await message.chat.send_message(
        html.escape(message.text), parse_mode=ParseMode.HTML, reply_markup=markup
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press, then edit the message; the update id keeps every edit different
    (Telegram refuses an edit that changes nothing)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await query.edit_message_text(
        f"<b>{html.escape(query.data or '')}</b> #{update.update_id}",
        parse_mode=ParseMode.HTML,
        reply_markup=BUTTONS,
    )


def build(token: str, base_url: str, concurrent_updates: int = 1) -> Application:  # type: ignore[type-arg]
    """The Application: stock builder, the two handlers, nothing else; updates handled
    `concurrent_updates` at a time (the bench passes the bot's own setting, so the two
    differ only in the work they do)."""
    builder = ApplicationBuilder().token(token).base_url(base_url)
    if concurrent_updates > 1:
        builder = builder.concurrent_updates(concurrent_updates)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    return application


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.echo_bot", description=__doc__)
    parser.add_argument("--token", required=True)
    parser.add_argument("--base-url", required=True, help="the Bot API URL ending in /bot")
    parser.add_argument("--mode", choices=("polling", "webhook"), default="polling")
    parser.add_argument("--webhook-url", help="webhook mode: the URL Telegram posts to")
    parser.add_argument("--listen", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--concurrent-updates", type=int, default=1, help="updates handled at once (1)"
    )
    args = parser.parse_args(argv)
    if args.mode == "webhook" and (not args.webhook_url or not args.port):
        parser.error("--mode webhook needs --webhook-url and --port")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    application = build(args.token, args.base_url, args.concurrent_updates)
    updates = [Update.MESSAGE, Update.CALLBACK_QUERY]
    if args.mode == "webhook":
        application.run_webhook(
            listen=args.listen,
            port=args.port,
            url_path=urlparse(args.webhook_url).path.lstrip("/"),
            webhook_url=args.webhook_url,
            allowed_updates=updates,
        )
    else:
        application.run_polling(allowed_updates=updates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
