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
import time
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from bot.sandbox.driver import BotMessage, Location, Photo, Venue
from bot.sandbox.emulator import (
    Args,
    BotRecord,
    StoredFile,
    bad_request,
    buttons_of,
    parse_reply_markup,
)

if TYPE_CHECKING:
    from bot.sandbox.emulator import TelegramEmulator

JSON = dict[str, Any]
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_DIMENSIONS = 10_000
MAX_PHOTO_RATIO = 20


class MediaMethods:
    """The emulator's photo, venue and location methods and the photos it has stored."""

    def __init__(self, emulator: TelegramEmulator) -> None:
        self._emulator = emulator
        self._photos: dict[str, Photo] = {}
        self._counter = itertools.count(1)
        self.uploads: list[Photo] = []
        """Every photo the bot uploaded (not re-sent by file_id), oldest first."""

    def table(self) -> dict[str, Any]:
        return {
            "sendPhoto": self.send_photo,
            "sendVenue": self.send_venue,
            "sendLocation": self.send_location,
        }

    def message_fields(self, view: BotMessage) -> JSON:
        """What a photo, venue or location message adds to the Message object."""
        fields: JSON = {}
        if view.photo is not None:
            fields["photo"] = [self._photo_size(view.photo)]
        if view.venue is not None:
            venue = view.venue
            location = {"latitude": venue.latitude, "longitude": venue.longitude}
            fields["venue"] = {"location": location, "title": venue.title, "address": venue.address}
            fields["location"] = location
        elif view.location is not None:
            fields["location"] = {
                "latitude": view.location.latitude,
                "longitude": view.location.longitude,
            }
        return fields

    @staticmethod
    def _photo_size(photo: Photo) -> JSON:
        return {
            "file_id": photo.file_id,
            "file_unique_id": photo.file_unique_id,
            "width": photo.width,
            "height": photo.height,
            "file_size": len(photo.content),
        }

    # -------------------------------------------------------------- sendPhoto

    def _photo_input(self, args: Args) -> Photo:
        upload = args.files.get("photo")
        reference = args.arg("photo")
        if reference.startswith("attach://"):
            upload = args.files.get(reference[len("attach://") :])
        if upload is not None:
            return self._store(upload.body)
        if not reference:
            raise bad_request("there is no photo in the request")
        if reference in self._photos:
            return self._photos[reference]
        emulator_files: dict[str, StoredFile] = self._emulator._files
        if reference in emulator_files:
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
        bot_id = self._emulator.bot_id
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
        emulator = self._emulator
        caption = emulator._caption(args)
        markup = parse_reply_markup(args)
        chat = emulator._chat(args, write=True)
        photo = self._photo_input(args)
        reply_to = emulator._reply_to(chat, args)
        delay = await emulator._flood_and_faults(chat, "sendPhoto")
        is_html = args.arg("parse_mode").lower() == "html"
        view = BotMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.chat_id,
            text=caption.text,
            html=args.arg("caption") if is_html else None,
            parse_mode=args.arg("parse_mode") or None,
            entities=caption.entities,
            buttons=buttons_of(markup),
            document=None,
            edit_count=0,
            date=int(time.time()),
            disable_notification=args.bool_arg("disable_notification"),
            reply_markup=markup,
            protect_content=args.bool_arg("protect_content"),
            photo=photo,
        )
        return await emulator._deliver(chat, BotRecord(view, markup, reply_to), delay)

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
        emulator = self._emulator
        markup = parse_reply_markup(args)
        chat = emulator._chat(args, write=True)
        reply_to = emulator._reply_to(chat, args)
        delay = await emulator._flood_and_faults(
            chat, "sendLocation" if venue is None else "sendVenue"
        )
        view = BotMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.chat_id,
            text="",
            html=None,
            parse_mode=None,
            entities=[],
            buttons=buttons_of(markup),
            document=None,
            edit_count=0,
            date=int(time.time()),
            disable_notification=args.bool_arg("disable_notification"),
            reply_markup=markup,
            protect_content=args.bool_arg("protect_content"),
            venue=venue,
            location=location,
        )
        return await emulator._deliver(chat, BotRecord(view, markup, reply_to), delay)

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
