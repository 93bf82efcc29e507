"""sendPhoto, sendVenue and sendLocation for the emulator, with Telegram's checks.

Photos: an upload (multipart) or the `file_id` of an earlier photo. Telegram's rules
(`inputMessagePhoto`): at most 10 MB, width + height at most 10,000, the longer side at
most 20 times the shorter; the caption at most 1,024 characters after entity parsing.
Errors carry Telegram's descriptions (PHOTO_INVALID_DIMENSIONS, PHOTO_SAVE_FILE_INVALID,
IMAGE_PROCESS_FAILED). Every upload is remembered (`uploads`), so tests can count them and
re-sends by `file_id` work as on Telegram.

Venues and locations: latitude within -90..90 and longitude within -180..180; a venue needs
a title and an address.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image, UnidentifiedImageError

from bot.sandbox.args import JSON, Args, Handler
from bot.sandbox.chats import Chats
from bot.sandbox.driver import Location, Photo, Venue
from bot.sandbox.errors import bad_request
from bot.sandbox.files import FileStore
from bot.sandbox.formatting import caption
from bot.sandbox.markup import parse_reply_markup
from bot.sandbox.messages import Messages

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_DIMENSIONS = 10_000
MAX_PHOTO_RATIO = 20


@dataclass
class MediaMethods:
    """The emulator's photo, venue and location methods and the photos it has stored."""

    _chats: Chats
    _files: FileStore
    _messages: Messages
    _bot_id: int
    _photos: dict[str, Photo] = field(default_factory=dict)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    uploads: list[Photo] = field(default_factory=list)
    """Every photo the bot uploaded (not re-sent by file_id), oldest first."""

    def table(self) -> dict[str, Handler]:
        return {
            "sendPhoto": self.send_photo,
            "sendVenue": self.send_venue,
            "sendLocation": self.send_location,
        }

    # -------------------------------------------------------------- sendPhoto

    def _photo_input(self, args: Args) -> Photo:
        upload, reference = args.upload("photo")
        if upload is not None:
            return self._store(upload.body)
        if not reference:
            raise bad_request("there is no photo in the request")
        if reference in self._photos:
            return self._photos[reference]
        if reference in self._files:
            raise bad_request("can't use file of type Document as Photo")
        if reference.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")  # the sandbox has no internet
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _store(self, content: bytes) -> Photo:
        if not content:
            raise bad_request("file must be non-empty")
        if len(content) > MAX_PHOTO_BYTES:
            raise bad_request("PHOTO_SAVE_FILE_INVALID")
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise bad_request("IMAGE_PROCESS_FAILED") from None
        if width + height > MAX_PHOTO_DIMENSIONS or max(width, height) > MAX_PHOTO_RATIO * min(
            width, height
        ):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        number = next(self._counter)
        bot_id = self._bot_id
        photo = Photo(
            file_id=f"AgACAgIAAxkDAAI{number:08d}{bot_id:x}",
            file_unique_id=f"AQAD{number:06d}",
            width=width,
            height=height,
            content=content,
        )
        self._photos[photo.file_id] = photo
        self.uploads.append(photo)
        return photo

    async def send_photo(self, args: Args) -> JSON:
        text = caption(args)
        markup = parse_reply_markup(args)
        chat = self._chats.checked(args, write=True)
        photo = self._photo_input(args)
        return await self._messages.send(
            chat, args, "sendPhoto", markup, text, "caption", photo=photo
        )

    # -------------------------------------------------------------- venue and location

    @staticmethod
    def _coordinates(args: Args) -> tuple[float, float]:
        values = []
        for name, limit in (("latitude", 90.0), ("longitude", 180.0)):
            raw = args.arg(name).strip()
            if not raw:
                raise bad_request(f"{name} is empty")
            try:
                value = float(raw)
            except ValueError:
                raise bad_request(f"{name} is invalid") from None
            if not math.isfinite(value) or not -limit <= value <= limit:
                raise bad_request(f"{name} must be between -{limit:g} and {limit:g}")
            values.append(value)
        return values[0], values[1]

    async def _send_place(self, args: Args, venue: Venue | None, location: Location) -> JSON:
        markup = parse_reply_markup(args)
        chat = self._chats.checked(args, write=True)
        method = "sendLocation" if venue is None else "sendVenue"
        return await self._messages.send(chat, args, method, markup, venue=venue, location=location)

    async def send_venue(self, args: Args) -> JSON:
        latitude, longitude = self._coordinates(args)
        title, address = args.arg("title").strip(), args.arg("address").strip()
        if not title:
            raise bad_request("title is empty")
        if not address:
            raise bad_request("address is empty")
        venue = Venue(latitude, longitude, args.arg("title"), args.arg("address"))
        return await self._send_place(args, venue, Location(latitude, longitude))

    async def send_location(self, args: Args) -> JSON:
        latitude, longitude = self._coordinates(args)
        return await self._send_place(args, None, Location(latitude, longitude))
