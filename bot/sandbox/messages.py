"""Messages: the one send path every sending method shares, edits, deletes, chat actions.

``Messages.send`` is what sendMessage, sendDocument, sendPhoto, sendVenue and
sendLocation have in common once each has checked its own content: the replied-to
message, flood control and faults, the new ``BotMessage`` in the chat, and the Message
object the API answers with. ``message_json`` renders any bot message as that object
(text, document, photo, venue or location), for answers and for callback queries.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.sandbox.args import JSON, Args, Handler
from bot.sandbox.chats import BotRecord, Chats, ChatState
from bot.sandbox.driver import BotMessage, ChatEvent, Document, Location, Photo, Venue
from bot.sandbox.errors import bad_request
from bot.sandbox.flood_control import FloodControl
from bot.sandbox.formatting import message_text
from bot.sandbox.html_entities import FormattedText
from bot.sandbox.markup import buttons_of, parse_reply_markup

if TYPE_CHECKING:
    from bot.sandbox.files import FileStore

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "record_audio", "upload_audio", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note", "cancel",
    }
)  # fmt: skip
NO_TEXT = FormattedText("", [])


def photo_size(photo: Photo) -> JSON:
    """The PhotoSize object (the emulator keeps one size, the original)."""
    return {
        "file_id": photo.file_id,
        "file_unique_id": photo.file_unique_id,
        "width": photo.width,
        "height": photo.height,
        "file_size": len(photo.content),
    }


def _media_fields(view: BotMessage) -> JSON:
    """What a photo, venue or location message adds to the Message object."""
    fields: JSON = {}
    if view.photo is not None:
        fields["photo"] = [photo_size(view.photo)]
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


@dataclass
class Messages:
    """sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, sendChatAction."""

    _chats: Chats
    _flood: FloodControl
    _files: FileStore
    _bot_json: Callable[[], JSON]

    def table(self) -> dict[str, Handler]:
        return {
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "sendChatAction": self.send_chat_action,
        }

    # -------------------------------------------------------------- the Message object

    def message_json(self, chat: ChatState, record: BotRecord) -> JSON:
        view = record.view
        message: JSON = {
            "message_id": view.message_id,
            "from": self._bot_json(),
            "chat": chat.to_json(),
            "date": view.date,
        }
        if view.photo is not None or view.venue is not None or view.location is not None:
            message.update(_media_fields(view))
            if view.text:
                message["caption"] = view.text
            if view.entities:
                message["caption_entities"] = view.entities
        elif view.document is not None:
            message["document"] = self._files.get(view.document.file_id).document_json()
            if view.text:
                message["caption"] = view.text
            if view.entities:
                message["caption_entities"] = view.entities
        else:
            message["text"] = view.text
            if view.entities:
                message["entities"] = view.entities
        if record.reply_to is not None:
            message["reply_to_message"] = record.reply_to
        if record.edit_date is not None:
            message["edit_date"] = record.edit_date
        if record.markup and "inline_keyboard" in record.markup:
            message["reply_markup"] = record.markup
        if view.protect_content:
            message["has_protected_content"] = True
        return message

    # -------------------------------------------------------------- sending

    def _reply_to(self, chat: ChatState, args: Args) -> JSON | None:
        """reply_parameters / reply_to_message_id: the replied message, if it exists."""
        params = args.json_arg("reply_parameters", "Can't parse reply parameters JSON object")
        if params is None and args.arg("reply_to_message_id"):
            params = {
                "message_id": args.int_arg("reply_to_message_id"),
                "allow_sending_without_reply": args.bool_arg("allow_sending_without_reply"),
            }
        if params is None:
            return None
        if not isinstance(params, dict):
            raise bad_request("Object expected as reply parameters")
        message_id = params.get("message_id")
        target = chat.incoming.get(message_id) if isinstance(message_id, int) else None
        if target is None and isinstance(message_id, int) and message_id in chat.records:
            target = self.message_json(chat, chat.records[message_id])
        if target is None and not params.get("allow_sending_without_reply"):
            raise bad_request("message to be replied not found")
        return target

    async def send(
        self,
        chat: ChatState,
        args: Args,
        method: str,
        markup: JSON | None,
        content: FormattedText = NO_TEXT,
        source: str | None = None,
        *,
        document: Document | None = None,
        photo: Photo | None = None,
        venue: Venue | None = None,
        location: Location | None = None,
    ) -> JSON:
        """Puts a new bot message into ``chat``, once its method checked its own content.

        ``content`` is the text or caption after parsing, ``source`` the parameter it came
        from (``"text"``, ``"caption"``, or None for a message without text, which then
        keeps no parse_mode either).
        """
        reply_to = self._reply_to(chat, args)
        delay = self._flood.check_with_faults(chat, method)
        parse_mode = args.arg("parse_mode") if source else ""
        view = BotMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.chat_id,
            text=content.text,
            html=args.arg(source) if source and parse_mode.lower() == "html" else None,
            parse_mode=parse_mode or None,
            entities=content.entities,
            buttons=buttons_of(markup),
            document=document,
            edit_count=0,
            date=int(time.time()),
            disable_notification=args.bool_arg("disable_notification"),
            reply_markup=markup,
            protect_content=args.bool_arg("protect_content"),
            photo=photo,
            venue=venue,
            location=location,
        )
        record = BotRecord(view, markup, reply_to)
        chat.add(record)
        if delay:
            await asyncio.sleep(delay)
        return self.message_json(chat, record)

    async def send_message(self, args: Args) -> JSON:
        text = message_text(args, "message is too long")
        markup = parse_reply_markup(args)
        args.json_arg("link_preview_options", "Can't parse link preview options JSON object")
        chat = self._chats.checked(args, write=True)
        return await self.send(chat, args, "sendMessage", markup, text, "text")

    async def send_chat_action(self, args: Args) -> bool:
        if args.arg("action").lower() not in CHAT_ACTIONS:
            raise bad_request("Wrong parameter action in request")
        self._chats.checked(args, write=True)
        self._flood.check("sendChatAction")
        return True

    # -------------------------------------------------------------- editing and deleting

    def _editable(self, args: Args) -> tuple[ChatState, BotRecord]:
        """check_message for edits: the message must exist and be the bot's own."""
        if not args.arg("chat_id") and not args.arg("message_id"):
            if not args.arg("inline_message_id"):
                raise bad_request("Message identifier is not specified")
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chats.checked(args, write=False)
        message_id = args.int_arg("message_id")
        record = chat.records.get(message_id)
        if record is None:
            if message_id in chat.incoming:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return chat, record

    @staticmethod
    def _edit_markup(args: Args) -> JSON | None:
        markup = parse_reply_markup(args)
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("Inline keyboard expected")
        return markup

    async def _apply_edit(
        self,
        chat: ChatState,
        record: BotRecord,
        view: BotMessage,
        markup: JSON | None,
        method: str,
    ) -> JSON:
        old = record.view
        if (view.text, view.entities, markup) == (old.text, old.entities, record.markup):
            raise bad_request(NOT_MODIFIED)
        delay = self._flood.check_with_faults(chat, method)
        record.view = replace(
            view, buttons=buttons_of(markup), reply_markup=markup, edit_count=old.edit_count + 1
        )
        record.markup = markup
        record.edit_date = int(time.time())
        chat.publish(ChatEvent("edit", record.view))
        if delay:
            await asyncio.sleep(delay)
        return self.message_json(chat, record)

    async def edit_message_text(self, args: Args) -> JSON:
        text = message_text(args, "MESSAGE_TOO_LONG")
        markup = self._edit_markup(args)
        args.json_arg("link_preview_options", "Can't parse link preview options JSON object")
        chat, record = self._editable(args)
        if record.view.document is not None:
            raise bad_request("there is no text in the message to edit")
        is_html = args.arg("parse_mode").lower() == "html"
        view = replace(
            record.view,
            text=text.text,
            entities=text.entities,
            html=args.arg("text") if is_html else None,
            parse_mode=args.arg("parse_mode") or None,
        )
        return await self._apply_edit(chat, record, view, markup, "editMessageText")

    async def edit_message_reply_markup(self, args: Args) -> JSON:
        markup = self._edit_markup(args)
        chat, record = self._editable(args)
        return await self._apply_edit(chat, record, record.view, markup, "editMessageReplyMarkup")

    async def delete_message(self, args: Args) -> bool:
        if not args.arg("chat_id"):
            raise bad_request("Chat identifier is not specified")
        message_id = args.int_arg("message_id")
        if message_id <= 0:
            raise bad_request("Message identifier is not specified")
        chat = self._chats.checked(args, write=False)
        self._flood.check("deleteMessage")
        record = chat.records.pop(message_id, None)
        if record is not None:
            chat.publish(ChatEvent("delete", record.view))
            return True
        if message_id not in chat.incoming:
            raise bad_request("message to delete not found")
        if chat.is_group:
            raise bad_request("message can't be deleted")  # the bot is not an admin
        del chat.incoming[message_id]
        return True
