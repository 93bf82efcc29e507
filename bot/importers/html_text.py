"""Schedule text as people read it: entities decoded, HTML abstracts turned into plain text.

Conference tools put HTML where plain text belongs: frab and pretalx escape titles twice
(`Rock&#x27; em` arrives after XML decoding still as an entity), and FOSDEM's abstracts are
`<p>…</p>` markup. Delegates see these strings in chat and in `.ics` descriptions, where
markup is noise (and chat would reject unknown tags), so they are stored as clean text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_TAG = re.compile(
    r"</?(p|br|div|span|a|em|strong|b|i|u|ul|ol|li|h[1-6]|blockquote|pre|code|hr|table|tr|td"
    r"|th|img|sup|sub|small|tt|dl|dt|dd)\b[^<>]*>",
    re.IGNORECASE,
)
_BLOCKS = frozenset(
    {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"}
)
_LINE_BREAKS = frozenset({"br", "li", "tr", "hr", "dt", "dd"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def clean_line(text: str) -> str:
    """A one-line field (title, track, room, name): entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(text).split())


def plain_text(text: str) -> str:
    """A description: HTML turned into paragraphs of text, entities decoded.

    Text without HTML tags keeps its own line breaks (Markdown abstracts stay readable);
    only a recognised tag makes the text count as HTML, so "a < b" is left alone.
    """
    if not _TAG.search(text):
        return html.unescape(text).strip()
    converter = _Converter()
    converter.feed(text)
    converter.close()
    return converter.text()


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag in _LINE_BREAKS:
            self.parts.append("\n• " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        # Newlines inside HTML source are layout, not content.
        self.parts.append(data.replace("\n", " "))

    def text(self) -> str:
        joined = "".join(self.parts)
        lines = [_SPACES.sub(" ", line).strip() for line in joined.split("\n")]
        return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()
