"""All handlers, in the order PTB tries them (the first that matches an update wins)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.clock import Clock
from bot.telegram.context import BotContext
from handlers import (
    agenda,
    bilateral,
    bookings,
    broadcast,
    browse,
    calendar,
    delegation,
    forget,
    guide,
    language,
    organizer_edits,
    programme_changes,
    registration,
    reminders,
    where,
)


def all_handlers(clock: Clock) -> list[BaseHandler[Update, BotContext, None]]:
    """`clock` times what handlers keep in memory (an organizer's pending question)."""
    return [
        # Groups first, so no command below can ever answer with private data in a group.
        *guide.group_handlers(),
        # Before any command: an organizer's typed answer to a ✏️ question is not unknown
        # text, and a command instead of the answer drops the question.
        *organizer_edits.handlers(clock),
        *registration.handlers(),
        *agenda.handlers(),
        *where.handlers(),
        *language.handlers(),
        *broadcast.handlers(),
        *calendar.handlers(),
        *browse.handlers(),
        *forget.handlers(),
        *reminders.handlers(),
        *programme_changes.handlers(),
        *bilateral.handlers(),
        *delegation.handlers(),
        *bookings.handlers(),
        *guide.handlers(),
        # Before the fallback: text a bilateral form waits for (a name, topic, reason).
        *bilateral.text_handlers(),
        # Last: anything unrecognised in a private chat gets help, not silence.
        *guide.fallback_handlers(),
    ]
