"""Message text and captions: parse_mode, explicit entities and Telegram's length limits.

The emulator implements parse_mode HTML only (``bot.sandbox.html_entities`` is a port of
tdlib's parser) and refuses Markdown with a message saying so. Without a parse_mode the
``entities``/``caption_entities`` parameter is read as the server reads it: entity types
Telegram detects by itself are dropped, the rest checked and clipped to the text.
``command_entities`` is the other direction: the bot_command entities Telegram adds to
what users write.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from bot.sandbox.args import JSON, Args, int_field, string_field
from bot.sandbox.errors import bad_request
from bot.sandbox.html_entities import (
    EntityParseError,
    FormattedText,
    clip_entities,
    normalize_text,
    parse_html,
    sort_entities,
    utf16_length,
)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
ENTITY_TYPES_WITH_EXTRA = {"text_link": "url", "pre": "language", "custom_emoji": "custom_emoji_id"}
FORMATTING_ENTITY_TYPES = frozenset(
    {
        "bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link",
        "text_mention", "custom_emoji", "blockquote", "expandable_blockquote",
    }
)  # fmt: skip
DETECTED_ENTITY_TYPES = frozenset(
    {"mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number"}
)
BOT_COMMAND = re.compile(r"(?<![\w/<>])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/<>@])")


def _explicit_entity(raw: Any) -> JSON | None:
    if not isinstance(raw, dict):
        raise ValueError("expected an Object")
    offset = int_field(raw, "offset", required=True)
    length = int_field(raw, "length", required=True)
    kind = string_field(raw, "type", required=True)
    if not kind:
        raise ValueError("Type is not specified")
    if kind in DETECTED_ENTITY_TYPES:
        return None
    if kind not in FORMATTING_ENTITY_TYPES:
        raise ValueError("Unsupported type specified")
    if offset < 0 or offset > 1000000:
        raise ValueError(f"Receive an entity with incorrect offset {offset}")
    entity: JSON = {"type": kind, "offset": offset, "length": length}
    extra = ENTITY_TYPES_WITH_EXTRA.get(kind)
    if extra and string_field(raw, extra, required=kind == "text_link"):
        entity[extra] = string_field(raw, extra)
    if kind == "text_mention":
        user = raw.get("user")
        if not isinstance(user, dict):
            raise ValueError('Can\'t find field "user"')
        entity["user"] = {"id": int_field(user, "id", required=True)}
    return entity


def explicit_entities(text: str, raw: Any) -> list[JSON]:
    """The ``entities`` parameter (used when there is no parse_mode)."""
    if not isinstance(raw, list):
        return []
    entities = []
    for item in raw:
        try:
            entity = _explicit_entity(item)
        except ValueError as error:
            raise bad_request(f"Can't parse MessageEntity: {error}") from None
        if entity is not None:
            entities.append(entity)
    return sort_entities(clip_entities(text, entities))


def command_entities(text: str) -> list[JSON]:
    """bot_command entities Telegram detects in what users write."""
    return [
        {"type": "bot_command", "offset": utf16_length(text[: m.start()]), "length": len(m.group())}
        for m in BOT_COMMAND.finditer(text)
    ]


def formatted(text: str, args: Args, entities_param: str) -> FormattedText:
    """Applies parse_mode (HTML only) or explicit entities, then Telegram's clean-up."""
    mode = args.arg("parse_mode").lower()
    if mode in ("", "none"):
        raw_entities = None
        with contextlib.suppress(ValueError):
            raw_entities = json.loads(args.arg(entities_param) or "null")
        parsed = FormattedText(text, explicit_entities(text, raw_entities))
    elif mode == "html":
        try:
            parsed = parse_html(text)
        except EntityParseError as error:
            raise bad_request(f"Can't parse entities: {error.reason}") from None
    elif mode in ("markdown", "markdownv2"):
        raise bad_request(
            f'unsupported parse_mode "{args.arg("parse_mode")}": this Telegram emulator '
            "implements only HTML; use parse_mode=HTML"
        )
    else:
        raise bad_request("Unsupported parse_mode")
    return normalize_text(parsed)


def message_text(args: Args, too_long: str) -> FormattedText:
    """The ``text`` of sendMessage or editMessageText; ``too_long`` names the limit's error."""
    text = args.arg("text")
    if not text:
        raise bad_request("Message text is empty")
    result = formatted(text, args, "entities")
    if not result.text:
        raise bad_request("Text must be non-empty")
    if utf16_length(result.text) > MAX_TEXT_LENGTH:
        raise bad_request(too_long)
    return result


def caption(args: Args) -> FormattedText:
    """The ``caption`` of a document or photo (empty when absent)."""
    raw = args.arg("caption")
    if not raw:
        return FormattedText("", [])
    result = formatted(raw, args, "caption_entities")
    if utf16_length(result.text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return result
