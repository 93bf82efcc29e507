"""The message value every layer passes: views make `Reply`s, storage queues them in the
outbox, the Telegram edge sends them; and the limits (4,096 characters, 64-byte callback
data) every one of them must fit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_MESSAGE = 4096
MAX_CALLBACK_DATA = 64


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    data: str | None = None
    url: str | None = None
    web_app: str | None = None
    """Opens the Mini App at this URL (private chats only)."""

    def __post_init__(self) -> None:
        if self.data is not None and not 0 < len(self.data.encode()) <= MAX_CALLBACK_DATA:
            raise ValueError(f"callback data must be 1-64 bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


_TAG = re.compile(r"<[^>]*>")


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut text into messages of at most `limit` at line boundaries, never mid-tag.

    Lengths are measured on the HTML source, which is never shorter than the text
    Telegram counts after parsing, so every part is within the limit. A single line
    longer than the limit (a very long description) is cut at spaces with its tags
    dropped, since a tag cut in half would make Telegram reject the whole message.
    """
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        pieces = [line] if utf16_length(line) <= limit else _cut_long_line(line, limit)
        for piece in pieces:
            extra = utf16_length(piece) + (1 if current else 0)
            if current and size + extra > limit:
                parts.append("\n".join(current).strip("\n"))
                current, size = [], 0
                extra = utf16_length(piece)
            current.append(piece)
            size += extra
    if current:
        parts.append("\n".join(current).strip("\n"))
    return [part for part in parts if part.strip()] or [text[:limit]]


def _cut_long_line(line: str, limit: int) -> list[str]:
    plain = _TAG.sub("", line)
    pieces: list[str] = []
    while utf16_length(plain) > limit:
        cut = plain.rfind(" ", 0, limit // 2)
        cut = cut if cut > 0 else limit // 2
        # Never leave an HTML entity (&amp;) split across two messages.
        amp = plain.rfind("&", 0, cut)
        if amp != -1 and ";" not in plain[amp:cut]:
            cut = amp
        pieces.append(plain[:cut])
        plain = plain[cut:].lstrip(" ")
    pieces.append(plain)
    return pieces


def fit(replies: Reply | Sequence[Reply], limit: int = MAX_MESSAGE) -> list[Reply]:
    """Replies as Telegram will take them: a text over `limit` becomes several messages,
    its buttons on the last. Every path that sends (answers, edits, the outbox) goes
    through here, so no view can fail with "message is too long" whatever the data."""
    fitted: list[Reply] = []
    for reply in [replies] if isinstance(replies, Reply) else replies:
        if utf16_length(reply.text) <= limit:
            fitted.append(reply)
            continue
        parts = split_message(reply.text, limit)
        fitted += [Reply(part) for part in parts[:-1]]
        fitted.append(Reply(parts[-1], reply.buttons))
    return fitted
