"""/delegation: a head of delegation sees where each member is now and next."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.agenda import now_and_next
from bot.domain.models import Delegate, Session
from bot.telegram.context import BotContext, RegisteredViewer
from bot.telegram.sending import send
from bot.views import bilaterals
from bot.views import delegation as views
from handlers.guards import registered

HORIZON = timedelta(days=1)


@registered
async def show_delegation(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """The delegation's members, each with the session they are in and the next one."""
    services = context.services
    own = await services.bilaterals.head_of(viewer.delegate)
    if own is None:
        await send(update, bilaterals.heads_only(viewer.t))
        return
    now = services.clock.now()
    # "Next" is the next item whenever it comes, up to the summit's last day.
    span = await services.programme.public_span()
    horizon = max(now, span[1] if span else now) + HORIZON
    rows: list[tuple[Delegate, Session | None, Session | None]] = []
    for member in await services.bilaterals.members(own.id):
        items = await services.programme.agenda_from(
            member.id, now, horizon, viewer.t.language, limit=3
        )
        rows.append((member, *now_and_next(items, now)))
    await send(update, views.delegation(viewer.t, own.name, rows))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("delegation", show_delegation, filters=filters.ChatType.PRIVATE)]
