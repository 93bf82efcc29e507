"""Request parameters, read the way the official Bot API server reads them.

Every parameter arrives as a string, whatever carried it: the query string, a
url-encoded or multipart form, a JSON body, or the body of a bot's answer to a webhook
request. ``Args`` holds them with the files of a multipart request, and reads them with
the server's lenient rules (``to_integer``: leading digits, anything else is 0). The
``string_field``/``int_field`` helpers read fields of JSON-serialized parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import tornado.httputil

from bot.sandbox.errors import bad_request

if TYPE_CHECKING:
    from bot.sandbox.webhook_sender import WebhookResponse

JSON = dict[str, Any]


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request."""

    file_name: str
    content_type: str
    body: bytes


def to_integer(value: str) -> int:
    """td::to_integer: optional minus and leading digits; anything else reads as 0."""
    match = re.match(r"\s*(-?)(\d*)", value)
    if match is None or not match.group(2):
        return 0
    number = int(match.group(2))
    return -number if match.group(1) else number


def to_bool(value: str) -> bool:
    """The Bot API's reading of a boolean parameter."""
    return value.strip().lower() in ("true", "yes", "1")


class Args:
    """Request parameters as strings, read with the Bot API server's (lenient) rules."""

    def __init__(self, values: dict[str, str], files: dict[str, Upload]) -> None:
        self.values = values
        self.files = files

    def arg(self, name: str) -> str:
        """The raw value, or "" when absent (Telegram does not distinguish the two)."""
        return self.values.get(name, "")

    def int_arg(
        self, name: str, default: int = 0, low: int | None = None, high: int | None = None
    ) -> int:
        """An integer parameter clamped like get_integer_arg; ``default`` when empty."""
        raw = self.arg(name)
        number = to_integer(raw) if raw else default
        if low is not None:
            number = max(low, number)
        if high is not None:
            number = min(high, number)
        return number

    def upload(self, name: str) -> tuple[Upload | None, str]:
        """A file parameter: the file uploaded with the request (under its own name or an
        ``attach://`` one) and the parameter's text (a file id or a URL, without upload)."""
        reference = self.arg(name)
        if reference.startswith("attach://"):
            return self.files.get(reference[len("attach://") :]), reference
        return self.files.get(name), reference

    def bool_arg(self, name: str) -> bool:
        """A boolean parameter ("true", "yes" or "1")."""
        return to_bool(self.arg(name))

    def json_arg(self, name: str, error: str) -> Any:
        """A JSON-serialized parameter; None when absent, ``error`` when malformed."""
        raw = self.arg(name)
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise bad_request(error) from None

    def for_record(self) -> dict[str, str]:
        """Parameters for RequestRecord, with uploads summarized instead of copied."""
        record = dict(self.values)
        for name, upload in self.files.items():
            record[name] = f"<upload {upload.file_name!r}, {len(upload.body)} bytes>"
        return record


# A Bot API method as each area implements it: parameters in, the JSON ``result`` out.
Handler = Callable[[Args], Awaitable[Any]]


def string_field(obj: JSON, name: str, required: bool = False) -> str:
    """get_json_object_string_field: strings, or numbers read as strings."""
    if name not in obj or obj[name] is None:
        if required:
            raise ValueError(f'Can\'t find field "{name}"')
        return ""
    value = obj[name]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f'Field "{name}" must be of type String')
    return value if isinstance(value, str) else json.dumps(value)


def int_field(obj: JSON, name: str, required: bool = False) -> int:
    """get_json_object_int_field: integers, or strings holding one."""
    if name not in obj or obj[name] is None:
        if required:
            raise ValueError(f'Can\'t find field "{name}"')
        return 0
    value = obj[name]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise ValueError(f'Field "{name}" must be a valid Number')


# ------------------------------------------------------------------ from HTTP bodies


def _decode(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("Strings must be encoded in UTF-8") from None


def _json_body_value(value: Any) -> str:
    """JSON bodies: strings stay strings, anything else is passed on as JSON text."""
    return value if isinstance(value, str) else json.dumps(value)


def _args(
    arguments: dict[str, list[bytes]],
    files: dict[str, list[tornado.httputil.HTTPFile]],
    content_type: str,
    body: bytes,
) -> Args:
    """Form fields (already parsed) plus a JSON body's fields -> Args."""
    values = {name: _decode(items[0]) for name, items in arguments.items() if items}
    if content_type.startswith("application/json") and body:
        try:
            parsed = json.loads(body)
        except ValueError:
            raise bad_request("Can't parse request JSON object") from None
        if not isinstance(parsed, dict):
            raise bad_request("Can't parse request JSON object")
        values.update({k: _json_body_value(v) for k, v in parsed.items() if v is not None})
    uploads = {
        name: Upload(items[0].filename, items[0].content_type, items[0].body)
        for name, items in files.items()
        if items
    }
    return Args(values, uploads)


def read_args(request: tornado.httputil.HTTPServerRequest) -> Args:
    """Query string, url-encoded or multipart form, or JSON body -> Args."""
    content_type = request.headers.get("Content-Type", "")
    return _args(request.arguments, request.files, content_type, request.body)


def response_args(response: WebhookResponse) -> Args:
    """The parameters of a method call returned in a webhook response body.

    As the Bot API server reads them: from a JSON object, a url-encoded form or a
    multipart form, chosen by the Content-Type; any other body carries no call.
    """
    content_type = response.headers.get("content-type", "")
    arguments: dict[str, list[bytes]] = {}
    files: dict[str, list[tornado.httputil.HTTPFile]] = {}
    if not content_type.startswith("application/json"):
        try:
            tornado.httputil.parse_body_arguments(
                content_type, response.body, arguments, files, tornado.httputil.HTTPHeaders()
            )
        except tornado.httputil.HTTPInputError:
            raise bad_request("Can't parse request body") from None
    return _args(arguments, files, content_type, response.body)
