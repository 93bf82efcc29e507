"""The Mini App page's own words, translated from the same catalogs as the chat.

The page has no translation machinery of its own: `/api/me` sends it this dictionary in
the viewer's language. `N_` marks each string for `make i18n`, so the page's words are
extracted and checked (tests/test_catalogs.py) exactly like the chat's.
"""

from __future__ import annotations

from typing import Final

from bot.i18n import N_, Translator

PAGE_STRINGS: Final = {
    "title": N_("Summit programme"),
    "my_day": N_("My day"),
    "programme": N_("Programme"),
    "grid": N_("Rooms × time"),
    "broadcasts": N_("Broadcasts"),
    "bilaterals": N_("Bilateral requests"),
    "bookings": N_("Bilateral bookings"),
    "search": N_("Search title, speaker, track or room"),
    "add": N_("Add to my agenda"),
    "remove": N_("Remove"),
    "on_agenda": N_("On your agenda"),
    "cancelled": N_("Cancelled"),
    "nothing_today": N_("Nothing on your agenda this day."),
    "no_results": N_("No sessions found."),
    "map": N_("Venue map"),
    "no_map": N_("There is no floor plan for this room yet."),
    "close": N_("Close"),
    "move": N_("Move"),
    "reschedule": N_("Reschedule"),
    "cancel_session": N_("Cancel the session"),
    "confirm_cancel": N_("Cancel this session? Every delegate who has it is told."),
    "new_room": N_("New room"),
    "new_start": N_("New start (HH:MM)"),
    "delivered": N_("delivered"),
    "waiting": N_("waiting"),
    "failed": N_("failed"),
    "acknowledged": N_("acknowledged"),
    "none_yet": N_("Nothing yet."),
    "error": N_("Something went wrong. Please try again."),
    "open_in_telegram": N_("Open this page from the bot's menu button in Telegram."),
}


def page_strings(t: Translator) -> dict[str, str]:
    """The page's words in the viewer's language (plain text: the page never parses HTML)."""
    return {key: t.translations.gettext(text) for key, text in PAGE_STRINGS.items()}
