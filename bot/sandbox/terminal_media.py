"""Files between the person and the bot: sending one from disk, saving what the bot sends.

A received document or picture (an export, a marked floor plan) is saved once per message,
into a directory of its own unless one was given, under a name that overwrites nothing; an
edit of its caption does not save it again.
"""

from __future__ import annotations

import mimetypes
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.sandbox.driver import BotMessage


class Downloads:
    """Where received files go, and which messages' files were saved already."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.saved: dict[tuple[int, int], Path] = {}

    def document_note(self, message: BotMessage) -> str:
        """Where the message's file is (saved now if it was not yet), or why it is not."""
        path = self.saved.get((message.chat_id, message.message_id))
        return f"saved to {path}" if path is not None else self.save_document(message)

    def photo_note(self, message: BotMessage) -> str:
        """Where the message's picture is (saved now if it was not yet), or why it is not."""
        path = self.saved.get((message.chat_id, message.message_id))
        return f"saved to {path}" if path is not None else self.save_photo(message)

    def save_photo(self, message: BotMessage) -> str:
        """Save a received picture (a marked floor plan) so the person can open it."""
        photo = message.photo
        if photo is None:
            return "has no picture"
        try:
            if self.directory is None:
                self.directory = Path(tempfile.mkdtemp(prefix="summitbot-downloads-"))
            self.directory.mkdir(parents=True, exist_ok=True)
            path = free_path(self.directory, f"picture-{message.message_id}.png")
            path.write_bytes(photo.content)
        except OSError as exc:
            return f"could not be saved: {exc.strerror or exc}"
        self.saved[(message.chat_id, message.message_id)] = path
        return f"saved to {path}"

    def save_document(self, message: BotMessage) -> str:
        """Save a received file once (an edit of its caption does not save it again).

        Returns what to tell the person: where it went, or why it could not be saved.
        """
        document = message.document
        if document is None:
            return "has no file"
        try:
            if self.directory is None:
                self.directory = Path(tempfile.mkdtemp(prefix="summitbot-downloads-"))
            self.directory.mkdir(parents=True, exist_ok=True)
            path = free_path(self.directory, document.file_name or "document")
            path.write_bytes(document.content)
        except OSError as exc:
            return f"could not be saved: {exc.strerror or exc}"
        self.saved[(message.chat_id, message.message_id)] = path
        return f"saved to {path}"


def read_file(raw_path: str) -> tuple[Path, bytes]:
    """Synchronously: a file to send is small and local, not worth a thread."""
    path = Path(raw_path).expanduser()
    return path, path.read_bytes()


def mime_type_of(path: Path) -> str:
    if path.suffix.lower() == ".csv":
        return "text/csv"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def free_path(directory: Path, file_name: str) -> Path:
    """A path in `directory` for `file_name` that overwrites nothing (and cannot escape)."""
    name = Path(file_name).name or "document"
    candidate = directory / name
    stem, suffix = candidate.stem, candidate.suffix
    counter = 2
    while candidate.exists():
        candidate = directory / f"{stem}-{counter}{suffix}"
        counter += 1
    return candidate
