"""Short, stable names for sessions in callback data (Telegram allows 64 bytes).

A button names its session by a hash of the id, which the handler matches against the
sessions its presser may see: a forged key names nothing, exactly like a stale one.
"""

from __future__ import annotations

import base64
import hashlib


def session_key(session_id: str) -> str:
    digest = hashlib.sha256(session_id.encode()).digest()[:8]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
