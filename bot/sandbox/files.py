"""Files and documents: the file store behind file ids, sendDocument and getFile.

A file a user attached or the bot uploaded is kept under a ``file_id`` (which the bot may
send again) and a ``file_path`` served at ``/file/bot<token>/<path>`` for downloads, as
getFile promises. Photos have their own ids and checks (``bot.sandbox.media``); a
document's id sent as a photo is refused, as on Telegram.
"""

from __future__ import annotations

import itertools
import mimetypes
import re
from dataclasses import dataclass

from bot.sandbox.args import JSON, Args, Handler
from bot.sandbox.chats import Chats
from bot.sandbox.driver import Document
from bot.sandbox.errors import bad_request
from bot.sandbox.formatting import caption
from bot.sandbox.markup import parse_reply_markup
from bot.sandbox.messages import Messages

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass
class StoredFile:
    """A file known to the emulator, uploaded by a user or by the bot."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None
    mime_type: str | None

    def document_json(self) -> JSON:
        """The Document object."""
        document: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        document["file_size"] = len(self.content)
        return document


class FileStore:
    """Every file by id and by download path."""

    def __init__(self, bot_id: int) -> None:
        self._bot_id = bot_id
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = itertools.count(1)

    def store(self, content: bytes, file_name: str | None, mime: str | None) -> StoredFile:
        number = next(self._counter)
        extension = (file_name or "").rpartition(".")[2] if file_name and "." in file_name else ""
        path = f"documents/file_{number}" + (f".{extension}" if extension else "")
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:08d}{self._bot_id:x}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=path,
            content=content,
            file_name=file_name,
            mime_type=mime,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[path] = stored
        return stored

    def __contains__(self, file_id: str) -> bool:
        return file_id in self._by_id

    def get(self, file_id: str) -> StoredFile:
        """The file with this id (KeyError for an unknown one)."""
        return self._by_id[file_id]

    def find(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def at(self, path: str) -> StoredFile | None:
        """The file served at /file/bot<token>/<path>."""
        return self._by_path.get(path)


@dataclass
class FileMethods:
    """sendDocument and getFile."""

    _chats: Chats
    _store: FileStore
    _messages: Messages

    def table(self) -> dict[str, Handler]:
        return {"sendDocument": self.send_document, "getFile": self.get_file}

    def _document_input(self, args: Args) -> StoredFile:
        upload, reference = args.upload("document")
        if upload is not None:
            if not upload.body:
                raise bad_request("file must be non-empty")
            mime = upload.content_type or mimetypes.guess_type(upload.file_name)[0]
            return self._store.store(upload.body, upload.file_name or None, mime)
        if not reference:
            raise bad_request("there is no document in the request")
        stored = self._store.find(reference)
        if stored is not None:
            return stored
        if re.match(r"https?://", reference):
            raise bad_request("failed to get HTTP URL content")  # the sandbox has no internet
        raise bad_request("wrong file identifier/HTTP URL specified")

    async def send_document(self, args: Args) -> JSON:
        text = caption(args)
        markup = parse_reply_markup(args)
        chat = self._chats.checked(args, write=True)
        stored = self._document_input(args)
        document = Document(
            stored.file_name, stored.mime_type, stored.content, text.text or None, stored.file_id
        )
        return await self._messages.send(
            chat, args, "sendDocument", markup, text, "caption", document=document
        )

    async def get_file(self, args: Args) -> JSON:
        file_id = args.arg("file_id")
        if not file_id:
            raise bad_request("file_id not specified")
        stored = self._store.find(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }
