"""/calendar: the delegate's agenda as an .ics file (being written; see issue 6)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import BotContext


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return []
