"""The words around the /calendar file: its caption, or why there is no file."""

from __future__ import annotations

from typing import Final

from bot.i18n import Translator
from bot.reply import Reply

FILE_NAME: Final = "summit-agenda.ics"
"""ASCII and fixed: phones save it under this name, and a summit's name may be any script."""
MAX_SUMMIT_NAME: Final = 120


def calendar_caption(t: Translator, count: int, summit: str) -> Reply:
    """Sent with the file: what it holds, and that sending /calendar again updates it.

    Delegates re-import after a change; saying that the events are updated rather than
    added twice saves them from deleting the old ones by hand first.
    """
    # A caption may hold 1,024 characters; the summit's name is the one unbounded part.
    name = summit if len(summit) <= MAX_SUMMIT_NAME else summit[: MAX_SUMMIT_NAME - 1] + "…"
    return Reply(
        t.gettext("<b>{summit}</b>", summit=name)
        + "\n"
        + t.ngettext(
            "Your agenda: {count} session. Open the file to add it to your calendar.",
            "Your agenda: {count} sessions. Open the file to add them to your calendar.",
            count,
        )
        + "\n"
        + t.gettext(
            "After a change, send /calendar again: your calendar updates the events "
            "instead of adding them twice."
        )
    )


def nothing_to_export(t: Translator) -> Reply:
    """An empty agenda gets this instead of a calendar file with no events in it."""
    return Reply(
        t.gettext("Nothing is on your agenda yet, so there is no calendar to send.")
        + " "
        + t.gettext("Use /program to see the programme.")
    )
