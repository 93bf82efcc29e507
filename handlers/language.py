"""/language: the delegate's own choice of language, which overrides every other source."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.i18n import base_language
from bot.telegram.context import BotContext
from bot.telegram.sending import edit_or_send, send
from bot.views import language as views


async def choose_language(update: Update, context: BotContext) -> None:
    """`/language CODE` sets it; `/language` alone shows a button per language."""
    viewer = await context.viewer(update)
    languages = context.services.catalogs.languages
    if not context.args:
        await send(update, views.language_menu(viewer.t, languages))
        return
    language = base_language(context.args[0])
    if language not in languages:
        await send(update, views.unknown_language(viewer.t, context.args[0][:20], languages))
        return
    await context.services.people.set_language(viewer.user_id, language)
    viewer = await context.viewer(update)
    await send(update, views.language_set(viewer.t))


async def language_button(update: Update, context: BotContext) -> None:
    """A language button from the /language menu."""
    query = update.callback_query
    assert query is not None and query.data is not None
    language = query.data.removeprefix(views.LANGUAGE_CALLBACK)
    if language not in context.services.catalogs.languages or query.from_user is None:
        await query.answer()
        return
    await context.services.people.set_language(query.from_user.id, language)
    viewer = await context.viewer(update)
    await query.answer()
    await edit_or_send(update, [views.language_set(viewer.t)])


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("language", choose_language, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(language_button, pattern=f"^{views.LANGUAGE_CALLBACK}"),
    ]
