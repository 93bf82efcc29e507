"""The emulator's one failure type: an ``ApiError`` is what the Bot API answers with.

Every check in the emulator raises one; the dispatcher turns it into Telegram's
``{"ok": false, "error_code": ..., "description": ...}`` body with that HTTP status.
"""

from __future__ import annotations


class ApiError(Exception):
    """A Bot API failure: HTTP status = error_code, with Telegram's description."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


def bad_request(reason: str) -> ApiError:
    """A 400 worded like the Bot API server does it (Client::fail_query_with_error).

    "Bad Request: " is prefixed and the first letter lowered, except for server error
    codes such as BUTTON_DATA_INVALID, which stay as they are.
    """
    if len(reason) >= 2 and (reason[1] == "_" or reason[1].isupper()):
        return ApiError(400, f"Bad Request: {reason}")
    return ApiError(400, f"Bad Request: {reason[:1].lower()}{reason[1:]}")


def forbidden(reason: str) -> ApiError:
    """A 403 such as "Forbidden: bot was blocked by the user"."""
    return ApiError(403, f"Forbidden: {reason}")
