"""The bot's menu button opens the Mini App (when `webapp.url` is set)."""

from __future__ import annotations

from telegram import Bot, MenuButtonWebApp, WebAppInfo

from bot.i18n import N_, Catalogs

MENU_TEXT = N_("Programme")


async def set_menu_button(bot: Bot, catalogs: Catalogs, url: str) -> None:
    """The default menu button for every private chat; its label in the summit's language
    (Telegram keeps one default button, not one per language)."""
    label = catalogs.get(None).translations.gettext(MENU_TEXT)
    await bot.set_chat_menu_button(menu_button=MenuButtonWebApp(label, WebAppInfo(url)))
