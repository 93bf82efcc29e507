"""How the bot's messages look in a terminal: entities as ANSI styles, numbered buttons.

Telegram entity offsets count UTF-16 code units; Python strings count code points. The
renderer maps one to the other, so emoji and other astral characters do not shift styles.
Everything here is pure: text in, text out (colour collapses to plain text when off).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.driver import BotMessage, Button, ChatEvent


_RESET = "\x1b[0m"
# SGR parameters per entity type. Entities Telegram shows without styling (mentions, hashtags,
# plain URLs) are left alone; a terminal already makes URLs clickable.
_ENTITY_STYLES: Mapping[str, str] = {
    "bold": "1",
    "italic": "3",
    "underline": "4",
    "strikethrough": "9",
    "spoiler": "2",
    "code": "36",
    "pre": "36",
    "text_link": "4;34",
}


def _utf16_boundaries(text: str) -> list[int]:
    """`result[i]` is the UTF-16 offset at which `text[i]` starts; the last item is the length."""
    boundaries = [0]
    for ch in text:
        boundaries.append(boundaries[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return boundaries


def _to_index(boundaries: list[int], utf16_offset: int) -> int:
    """The Python index of a UTF-16 offset (one inside a surrogate pair rounds down)."""
    return max(0, bisect.bisect_right(boundaries, utf16_offset) - 1)


def render_text(text: str, entities: Sequence[Mapping[str, Any]], *, color: bool) -> str:
    """`text` with its entities as ANSI styles (when `color`); links keep their target visible.

    Styles are computed per character and emitted per run, with a reset between runs, so
    nested and overlapping entities (bold inside a link, say) come out right.
    """
    boundaries = _utf16_boundaries(text)
    styles: list[set[str]] = [set() for _ in text]
    link_after: dict[int, list[str]] = {}
    for entity in entities:
        kind = str(entity.get("type", ""))
        offset = int(entity.get("offset", 0))
        start = _to_index(boundaries, offset)
        end = _to_index(boundaries, offset + int(entity.get("length", 0)))
        style = _ENTITY_STYLES.get(kind)
        if style is not None:
            for i in range(start, min(end, len(text))):
                styles[i].add(style)
        url = entity.get("url")
        if kind == "text_link" and isinstance(url, str) and url != text[start:end]:
            link_after.setdefault(end, []).append(url)

    pieces: list[str] = []
    current: frozenset[str] = frozenset()
    for i in range(len(text) + 1):
        for url in link_after.get(i, ()):
            if color and current:
                pieces.append(_RESET)
                current = frozenset()
            pieces.append(f" <{url}>")
        if i == len(text):
            break
        wanted = frozenset(styles[i]) if color else frozenset()
        if wanted != current:
            if current:
                pieces.append(_RESET)
            if wanted:
                pieces.append(f"\x1b[{';'.join(sorted(wanted))}m")
            current = wanted
        pieces.append(text[i])
    if current:
        pieces.append(_RESET)
    return "".join(pieces)


def numbered_buttons(buttons: Sequence[Sequence[Button]]) -> Iterator[tuple[int, Button]]:
    """Buttons numbered 1, 2, 3… row by row, as they are printed."""
    number = 0
    for row in buttons:
        for button in row:
            number += 1
            yield number, button


@dataclass
class Styles:
    """ANSI helpers that collapse to plain text when colour is off."""

    color: bool

    def __call__(self, text: str, sgr: str) -> str:
        return f"\x1b[{sgr}m{text}{_RESET}" if self.color else text

    def header(self, text: str) -> str:
        return self(text, "1;36")

    def gutter(self, text: str) -> str:
        return self(text, "2")

    def number(self, text: str) -> str:
        return self(text, "1;33")

    def note(self, text: str) -> str:
        return self(text, "2;37")

    def warn(self, text: str) -> str:
        return self(text, "33")

    def error(self, text: str) -> str:
        return self(text, "31")


def coalesce(events: Sequence[ChatEvent]) -> list[tuple[str, BotMessage]]:
    """One entry per message, in order of first appearance, with its latest state.

    A message sent and then edited while nobody looked is simply a new message; one sent and
    deleted meanwhile is not worth showing. This keeps a broadcast's progress message, edited
    many times a second, from flooding the terminal.
    """
    order: list[int] = []
    first: dict[int, str] = {}
    last: dict[int, ChatEvent] = {}
    for event in events:
        key = event.message.message_id
        if key not in last:
            order.append(key)
            first[key] = event.kind
        last[key] = event
    result: list[tuple[str, BotMessage]] = []
    for key in order:
        kind = last[key].kind
        if first[key] == "message":
            if kind == "delete":
                continue
            kind = "message"
        result.append((kind, last[key].message))
    return result


def button_rows(buttons: Sequence[Sequence[Button]]) -> list[list[tuple[str, str]]]:
    """`[n]` and label per button, per row; a link button is marked with an arrow."""
    numbered = iter(numbered_buttons(buttons))
    rows: list[list[tuple[str, str]]] = []
    for row in buttons:
        rendered: list[tuple[str, str]] = []
        for number, button in itertools.islice(numbered, len(row)):
            link = button.url and button.callback_data is None
            rendered.append((f"[{number}]", f"{button.text} ↗" if link else button.text))
        rows.append(rendered)
    return rows
