"""Invite codes: how they are made, recognised and remembered.

A code is 16 URL-safe characters from `secrets` (96 bits), short enough for a
`t.me/<bot>?start=<code>` deep link (Telegram allows 64 characters of [A-Za-z0-9_-]).
Once redeemed the bot keeps only its SHA-256: codes are random, not passwords, so a
plain hash is enough to recognise a reused code without keeping something that would
let anyone register.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from enum import Enum

CODE_BYTES = 12  # 96 bits of randomness
_CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{16}")


def new_code() -> str:
    # Never a leading "-": a spreadsheet would read the code as a formula (bot.csv_output).
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if not code.startswith("-"):
            return code


def code_hash(code: str) -> bytes:
    return hashlib.sha256(code.encode("ascii")).digest()


def looks_like_code(text: str) -> bool:
    """Whether `text` has the shape of a code at all (before touching the database)."""
    return _CODE_SHAPE.fullmatch(text) is not None


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


class Redemption(Enum):
    LINKED = "linked"
    ALREADY_YOURS = "already_yours"
    USED = "used"
    UNKNOWN = "unknown"
    OTHER_ACCOUNT = "other_account"
