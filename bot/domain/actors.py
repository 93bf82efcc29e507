"""Who made a change, as the audit log names them."""

from __future__ import annotations


def telegram_actor(user_id: int) -> str:
    """An organizer acting from Telegram (the command line names itself instead)."""
    return f"telegram:{user_id}"
