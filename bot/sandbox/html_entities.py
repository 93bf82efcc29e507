"""Telegram's text formatting rules: the HTML parse mode and the clean-up after it.

The emulator must reject exactly what Telegram rejects, with the same words, so this is
a port of tdlib's ``parse_html`` (td/telegram/MessageEntity.cpp) rather than a generic
HTML parser: it walks UTF-8 bytes (error offsets are *byte* offsets), accepts only the
tags Telegram knows, decodes only ``&lt; &gt; &amp; &quot;`` and numeric references, and
leaves any other ``&`` untouched. Entity offsets and lengths are counted in UTF-16 code
units, as the Bot API reports them.

``normalize_text`` then does what tdlib's ``fix_formatted_text`` does to every outgoing
text: control characters become spaces, ``\\r`` and a few invisible characters vanish,
spaces and newlines are trimmed from both ends and entities are moved along.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Entity = dict[str, Any]

# tdlib's is_space: note that NUL counts (it is the C string terminator) and \f does not.
_SPACE_BYTES = frozenset(b" \t\r\n\x00\x0b")
_SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
# tdlib's MessageEntity::get_type_priority: ties on (offset, length) sort by this.
_TYPE_PRIORITY = {
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "expandable_blockquote": 0,
    "spoiler": 94,
    "custom_emoji": 99,
}
_SPECIAL = re.compile(rb"[<&]")
# Byte classes for tdlib's scanning loops. A NUL byte ends names like the end of the
# string does (tdlib reads a C string), but skipping spaces never passes it.
_NAME_END = re.compile(rb"[ \t\r\n\x00\x0b>]")
_SPACES = re.compile(rb"[ \t\r\n\x0b]*")
_ATTRIBUTE_NAME = re.compile(rb"[^ \t\r\n\x00\x0b=>/\"']*")
_NAME_TOKEN = re.compile(rb"[A-Za-z0-9.-]*")
_QUOTED_END = {ord('"'): re.compile(rb'["\x00]'), ord("'"): re.compile(rb"['\x00]")}
_NAMED_REFERENCES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})
# "name:" starts a URL scheme unless digits follow, as in "example.com:8080/path".
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d+(?:/|$))")
_USER_LINK = re.compile(r"tg://user\?id=(\d{1,19})", re.IGNORECASE)


class EntityParseError(ValueError):
    """The text was rejected; ``reason`` is tdlib's own wording, without any prefix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FormattedText:
    """Plain text plus the entities that format it (UTF-16 offsets)."""

    text: str
    entities: list[Entity]


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Telegram offset and length limit."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _is_space(c: int) -> bool:
    return c in _SPACE_BYTES


def _is_alpha(c: int) -> bool:
    return 0x61 <= (c | 0x20) <= 0x7A


def _is_digit(c: int) -> bool:
    return 0x30 <= c <= 0x39


def _is_hex_digit(c: int) -> bool:
    return _is_digit(c) or 0x61 <= (c | 0x20) <= 0x66


def _chunk_utf16(chunk: bytes) -> int:
    return utf16_length(chunk.decode("utf-8", "surrogatepass"))


def _decode_reference(data: bytes, pos: int) -> tuple[int, int]:
    """tdlib's decode_html_entity: (code point, position after it), or (0, pos) if none."""
    size = len(data)

    def at(k: int) -> int:
        return data[k] if k < size else 0

    end = pos + 1
    code = 0
    if at(pos + 1) == ord("#"):
        end += 1
        if at(pos + 2) == ord("x"):
            end += 1
            while _is_hex_digit(at(end)):
                code = code * 16 + int(chr(at(end)), 16)
                end += 1
        else:
            while _is_digit(at(end)):
                code = code * 10 + at(end) - 0x30
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while _is_alpha(at(end)):
            end += 1
        code = _NAMED_REFERENCES.get(data[pos + 1 : end], 0)
        if code == 0:
            return 0, pos
    if at(end) == ord(";"):
        end += 1
    return code, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    byte_offset: int


class _HtmlParser:
    """One pass over the UTF-8 bytes, mirroring tdlib's loop (and its error checks) closely."""

    def __init__(self, html: str) -> None:
        try:
            self.data = html.encode("utf-8")
        except UnicodeEncodeError:
            raise EntityParseError("Strings must be encoded in UTF-8") from None
        self.size = len(self.data)
        self.out = bytearray()
        self.utf16 = 0
        self.entities: list[Entity] = []
        self.stack: list[_OpenTag] = []
        self.has_surrogates = False
        self.code_arguments: dict[int, str] = {}

    def at(self, k: int) -> int:
        return self.data[k] if k < self.size else 0

    def run(self) -> FormattedText:
        i = 0
        while i < self.size:
            c = self.data[i]
            if c == ord("&"):
                code, after = _decode_reference(self.data, i)
                if code:
                    self._append_code_point(code)
                    i = after
                    continue
            if c != ord("<"):
                match = _SPECIAL.search(self.data, i + 1)
                stop = match.start() if match else self.size
                chunk = self.data[i:stop]
                self.out += chunk
                self.utf16 += _chunk_utf16(chunk)
                i = stop
                continue
            i = self._start_tag(i) if self.at(i + 1) != ord("/") else self._end_tag(i)
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        return self._finish()

    def _append_code_point(self, code: int) -> None:
        self.utf16 += 2 if code > 0xFFFF else 1
        if 0xD800 <= code <= 0xDFFF:
            self.has_surrogates = True
        self.out += chr(code).encode("utf-8", "surrogatepass")

    def _text(self, begin: int, end: int) -> str:
        return self.data[begin:end].decode("utf-8", "replace")

    def _find(self, pattern: re.Pattern[bytes], i: int) -> int:
        """Index of the first byte matching ``pattern`` from ``i`` (the end if none)."""
        match = pattern.search(self.data, i)
        return match.start() if match else self.size

    def _skip(self, pattern: re.Pattern[bytes], i: int) -> int:
        """Index after the run of bytes matching ``pattern`` at ``i``."""
        match = pattern.match(self.data, i)
        return match.end() if match else i

    def _start_tag(self, begin: int) -> int:
        i = self._find(_NAME_END, begin + 1)
        if self.at(i) == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        name = self.data[begin + 1 : i].lower().decode("utf-8", "replace")
        if name not in _SUPPORTED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
        i, argument = self._attributes(i, name, begin)
        if name == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        self.stack.append(_OpenTag(name, argument, self.utf16, len(self.out)))
        return i + 1

    def _attributes(self, i: int, tag: str, begin: int) -> tuple[int, str]:
        """Reads attributes up to the closing '>' and returns (index of '>', argument)."""
        argument = ""
        while self.at(i) != ord(">"):
            i = self._skip(_SPACES, i)
            if self.at(i) == ord(">"):
                break
            name_begin = i
            i = self._skip(_ATTRIBUTE_NAME, i)
            attribute = self._text(name_begin, i)
            if not attribute:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                )
            i = self._skip(_SPACES, i)
            if self.at(i) != ord("="):
                if self.at(i) == 0:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                if tag == "blockquote" and attribute == "expandable":
                    argument = "1"
                continue
            i = self._skip(_SPACES, i + 1)
            if self.at(i) == 0:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            i, value = self._attribute_value(i)
            if self.at(i) == 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            argument = _tag_argument(tag, attribute, value, argument)
        return i, argument

    def _attribute_value(self, i: int) -> tuple[int, str]:
        quote = self.at(i)
        if quote not in b"'\"":
            token_end = self._skip(_NAME_TOKEN, i)
            if not _is_space(self.at(token_end)) and self.at(token_end) != ord(">"):
                raise EntityParseError(f"Unexpected end of name token at byte offset {i}")
            return token_end, self.data[i:token_end].lower().decode("ascii")
        end = self._find(_QUOTED_END[quote], i + 1)
        value = self._decode_references(i + 1, end)
        return (end + 1 if self.at(end) == quote else end), value

    def _decode_references(self, begin: int, end: int) -> str:
        """The bytes between ``begin`` and ``end`` with character references decoded.

        A reference never contains a quote or NUL, so it cannot run past ``end``.
        """
        collected = bytearray()
        i = begin
        while i < end:
            amp = self.data.find(b"&", i, end)
            if amp < 0:
                collected += self.data[i:end]
                break
            collected += self.data[i:amp]
            code, after = _decode_reference(self.data, amp)
            if code:
                collected += chr(code).encode("utf-8", "surrogatepass")
                i = after
            else:
                collected.append(ord("&"))
                i = amp + 1
        return collected.decode("utf-8", "replace")

    def _end_tag(self, begin: int) -> int:
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        i = self._find(_NAME_END, begin + 2)
        end_name = self.data[begin + 2 : i].lower().decode("utf-8", "replace")
        i = self._skip(_SPACES, i)
        if self.at(i) != ord(">"):
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        top = self.stack[-1]
        if end_name and end_name != top.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{top.name}>", '
                f'found "</{end_name}>"'
            )
        if self.utf16 > top.utf16_offset:
            self._close(top)
        self.stack.pop()
        return i + 1

    def _close(self, tag: _OpenTag) -> None:
        offset, length = tag.utf16_offset, self.utf16 - tag.utf16_offset
        if tag.name in _SIMPLE_TYPES:
            self._add(_SIMPLE_TYPES[tag.name], offset, length)
        elif tag.name == "tg-emoji":
            self._add_custom_emoji(tag, offset, length)
        elif tag.name == "a":
            self._add_link(tag, offset, length)
        elif tag.name == "pre":
            self._add_pre(offset, length)
        elif tag.name == "code":
            self._add_code(tag, offset, length)
        else:
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self._add(kind, offset, length)

    def _add(self, kind: str, offset: int, length: int, **extra: Any) -> None:
        self.entities.append({"type": kind, "offset": offset, "length": length, **extra})

    def _add_custom_emoji(self, tag: _OpenTag, offset: int, length: int) -> None:
        emoji_id = tag.argument
        if not re.fullmatch(r"-?[1-9]\d{0,18}", emoji_id) or not -(2**63) <= int(emoji_id) < 2**63:
            raise EntityParseError("Invalid custom emoji identifier specified")
        self._add("custom_emoji", offset, length, custom_emoji_id=emoji_id)

    def _add_link(self, tag: _OpenTag, offset: int, length: int) -> None:
        url = tag.argument or self.out[tag.byte_offset :].decode("utf-8", "replace")
        user = _USER_LINK.fullmatch(url)
        if user and 0 < int(user.group(1)) < 2**53:
            self._add("text_mention", offset, length, user={"id": int(user.group(1))})
            return
        checked = checked_link(url)
        if checked:
            self._add("text_link", offset, length, url=checked)

    def _add_pre(self, offset: int, length: int) -> None:
        last = self.entities[-1] if self.entities else None
        if last and last["type"] == "code" and (last["offset"], last["length"]) == (offset, length):
            language = self.code_arguments.get(id(last), "")
            if language:
                last["type"] = "pre"
                last["language"] = language
                return
        self._add("pre", offset, length)

    def _add_code(self, tag: _OpenTag, offset: int, length: int) -> None:
        last = self.entities[-1] if self.entities else None
        if (
            last
            and last["type"] == "pre"
            and (last["offset"], last["length"]) == (offset, length)
            and tag.argument
        ):
            last["language"] = tag.argument
            return
        self._add("code", offset, length)
        if tag.argument:
            self.code_arguments[id(self.entities[-1])] = tag.argument

    def _finish(self) -> FormattedText:
        raw = bytes(self.out)
        if self.has_surrogates:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise EntityParseError(
                    "Text contains invalid Unicode characters after decoding HTML entities, "
                    "check for unmatched surrogate code units"
                ) from None
        else:
            text = raw.decode("utf-8", "surrogatepass")
        return FormattedText(text, sort_entities(self.entities))


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """Which attribute of which tag carries meaning (everything else is ignored)."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return current


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """tdlib's order: by offset, longer first, then by type priority."""
    return sorted(
        entities, key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY.get(e["type"], 50))
    )


@functools.lru_cache(maxsize=4096)
def checked_link(url: str) -> str:
    """A simplified LinkManager::get_checked_link: a usable URL, or "" to drop the link."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return ""
    if not _SCHEME.match(url):
        url = "http://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return ""
    if scheme in ("http", "https"):
        host = parts.hostname or ""
        if not host or not re.fullmatch(r"[\w.-]+|\[[0-9a-fA-F:.]+\]", host):
            return ""
        if not parts.path:
            url = parts._replace(path="/").geturl()
    return url


def parse_html(html: str) -> FormattedText:
    """Parses Telegram HTML; raises EntityParseError with tdlib's reason on bad markup."""
    return _HtmlParser(html).run()


# ---------------------------------------------------------------- fix_formatted_text

_NEEDS_CLEANING = re.compile("[\x00-\x09\x0b-\x1f\r\u2028-\u202e\u0333\u033f\u030a]")
_DIRECTION_MARK_RUN = re.compile("[\u200e\u200f]{2,}")
_EMPTY_CHARACTERS = re.compile(
    "[ \n\u200b-\u200f\u202e\ufeff\u00a0\u1680\u180e\u2000-\u200a\u202f\u205f\u2800\u3000\ufffc"
    "\U000e0000-\U000e007f]*"
)


def _clean_char(ch: str) -> str:
    """What clean_input_string turns one character into."""
    if ch == "\r" or "\u2028" <= ch <= "\u202e" or ch in "\u0333\u033f\u030a":
        return ""
    if ch < " " and ch != "\n":
        return " "
    return ch


def _clean(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """clean_input_string_with_entities: drops/replaces characters, keeping entities aligned."""
    if not _NEEDS_CLEANING.search(text):
        return text, entities
    new_offset_of: list[int] = []  # old UTF-16 offset -> new UTF-16 offset
    pieces: list[str] = []
    position = 0
    for ch in text:
        replacement = _clean_char(ch)
        for _ in range(utf16_length(ch)):
            new_offset_of.append(position)
        pieces.append(replacement)
        position += utf16_length(replacement)
    new_offset_of.append(position)
    moved = []
    for entity in entities:
        start = new_offset_of[entity["offset"]]
        end = new_offset_of[entity["offset"] + entity["length"]]
        moved.append({**entity, "offset": start, "length": end - start})
    return "".join(pieces), moved


def _replace_direction_marks(text: str) -> str:
    """replace_offending_characters: runs of LRM/RLM keep only their last mark."""
    return _DIRECTION_MARK_RUN.sub(lambda m: "\u200c" * (len(m.group()) - 1) + m.group()[-1], text)


def _trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Right-trims spaces/newlines (cutting entities), left-trims up to the first entity."""
    stripped = text.rstrip(" \n")
    end = utf16_length(stripped)
    kept = []
    for entity in entities:
        if entity["offset"] >= end:
            continue
        length = min(entity["length"], end - entity["offset"])
        kept.append({**entity, "length": length})
    first_entity = min((e["offset"] for e in kept), default=end)
    lead = len(stripped) - len(stripped.lstrip(" \n"))
    lead = min(lead, first_entity)  # leading characters are all ASCII: 1 unit each
    if lead:
        stripped = stripped[lead:]
        kept = [{**e, "offset": e["offset"] - lead} for e in kept]
    return stripped, kept


def clip_entities(text: str, entities: list[Entity]) -> list[Entity]:
    """Drops entities outside the text and cuts those that run past its end."""
    end = utf16_length(text)
    result = []
    for entity in entities:
        if entity["offset"] >= end or entity["length"] <= 0:
            continue
        result.append({**entity, "length": min(entity["length"], end - entity["offset"])})
    return result


def normalize_text(formatted: FormattedText) -> FormattedText:
    """fix_formatted_text: clean characters, trim, drop empty entities, sort.

    The result's text is "" when nothing visible is left; callers turn that into
    Telegram's "text must be non-empty".
    """
    text, entities = _clean(formatted.text, formatted.entities)
    text = _replace_direction_marks(text)
    entities = [e for e in entities if e["length"] > 0]
    text, entities = _trim(text, entities)
    if _EMPTY_CHARACTERS.fullmatch(text):
        return FormattedText("", [])
    return FormattedText(text, sort_entities([e for e in entities if e["length"] > 0]))
