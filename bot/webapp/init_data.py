"""Telegram Mini App `initData`: checking who is asking, as Telegram documents it.

https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app

    secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)
    hash       = hex(HMAC_SHA256(key=secret_key, msg=data_check_string))

where `data_check_string` is every received field except `hash`, as `key=value`, sorted
by key and joined by newlines. Only the bot's token can produce the hash, so initData
signed for another bot is refused like a forged one. `auth_date` bounds how long a
captured initData stays usable.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from bot.clock import SystemClock

# How old an initData may be. Telegram hands the Mini App a fresh one each time it opens;
# a day lets a delegate keep the page open through a summit day.
MAX_AGE_SECONDS = 24 * 3600
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW_SECONDS = 300


class InitDataError(Exception):
    """Why initData was refused (for the log; the client only learns "401")."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    id: int
    first_name: str
    language_code: str | None


def _secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields))


def verify(init_data: str, token: str, now: float | None = None) -> WebAppUser:
    """The user initData vouches for; InitDataError when it is forged, old or malformed.

    `now` is POSIX seconds on the caller's clock (the system's when not given).
    """
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("not a query string") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise InitDataError(f"duplicate field {key!r}")
        fields[key] = value
    received = fields.pop("hash", "")
    expected = hmac.new(
        _secret_key(token), _data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(received.encode(), expected.encode()):
        raise InitDataError("bad signature")
    try:
        auth_date = int(fields["auth_date"])
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise InitDataError("no auth_date or user") from None
    moment = SystemClock().time() if now is None else now
    if auth_date > moment + CLOCK_SKEW_SECONDS:
        raise InitDataError("auth_date in the future")
    if moment - auth_date > MAX_AGE_SECONDS:
        raise InitDataError("expired")
    language = user.get("language_code")
    return WebAppUser(
        user_id,
        str(user.get("first_name", "")),
        language if isinstance(language, str) else None,
    )


def sign(fields: dict[str, str], token: str) -> str:
    """initData as Telegram would hand it to the Mini App (for the emulator and tests)."""
    digest = hmac.new(
        _secret_key(token), _data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    return urlencode({**fields, "hash": digest})


def for_user(
    user_id: int,
    token: str,
    *,
    first_name: str = "",
    language_code: str | None = None,
    auth_date: float | None = None,
) -> str:
    """Signed initData for one user, as a Telegram client would get it."""
    user: dict[str, object] = {"id": user_id, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    fields = {
        "query_id": f"AAE{user_id}",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(int(SystemClock().time() if auth_date is None else auth_date)),
    }
    return sign(fields, token)
