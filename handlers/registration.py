"""/start: linking a Telegram account to a delegate with an invite code."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.invites import Redemption, looks_like_code
from bot.domain.lockout import counted_since, locked_until
from bot.reply import Reply
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import send
from bot.views import help as help_views
from bot.views import registration as views
from handlers.guards import summit_name


async def start(update: Update, context: BotContext) -> None:
    """Register with `/start CODE` (the invite link does this), or greet."""
    viewer = await context.viewer(update)
    code = context.args[0] if context.args else None
    if code is None:
        await send(update, _greeting(context, viewer))
        return
    services = context.services
    now = services.clock.now()
    failures = await services.people.failed_starts_since(viewer.user_id, counted_since(now))
    until = locked_until(failures)
    if until is not None:
        await send(update, views.locked_out(viewer.t, until))
        return
    if not looks_like_code(code):
        await services.people.record_failed_start(viewer.user_id, now)
        await send(update, views.code_malformed(viewer.t))
        return
    user = update.effective_user
    result = await services.people.redeem(
        code, viewer.user_id, user.language_code if user else None, now
    )
    if result.outcome is Redemption.LINKED and result.delegate is not None:
        services.scheduler.request_replan()  # their reminders are planned from now on
        # Answer in the language the delegate now has (their file may name one).
        viewer = await context.viewer(update)
        await send(update, views.welcome(viewer.t, result.delegate, summit_name(context)))
    elif result.outcome is Redemption.ALREADY_YOURS and result.delegate is not None:
        await send(update, views.already_registered(viewer.t, result.delegate))
    elif result.outcome is Redemption.OTHER_ACCOUNT and result.delegate is not None:
        await send(update, views.other_account(viewer.t, result.delegate))
    else:
        await services.people.record_failed_start(viewer.user_id, now)
        used = result.outcome is Redemption.USED
        await send(update, views.code_used(viewer.t) if used else views.code_unknown(viewer.t))


def _greeting(context: BotContext, viewer: Viewer) -> Reply:
    if viewer.delegate is not None:
        return views.already_registered(viewer.t, viewer.delegate)
    return help_views.help_text(viewer.t, registered=False, summit=summit_name(context))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("start", start, filters=filters.ChatType.PRIVATE)]
