"""Turning uploaded bytes into text: UTF-8, with or without a byte order mark, and nothing else.

Guessing another encoding (Windows-1252, UTF-16) would sometimes be right and sometimes
quietly turn a minister's name into mojibake, so the organizer is told where the first
non-UTF-8 byte is and how to save the file properly instead.
"""

from __future__ import annotations

import codecs

from bot.importers.issues import Invalid

SAVE_AS_UTF8 = (
    'save the file as UTF-8 (Excel: "CSV UTF-8"; LibreOffice: character set "Unicode (UTF-8)")'
)
SAVE_AS_CSV = 'save it as CSV UTF-8 (Excel: "CSV UTF-8"; LibreOffice: Text CSV, "Unicode (UTF-8)")'


class EncodingProblem(Invalid):
    """Invalid text, with the line it is on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def decode(data: bytes) -> str:
    """The text of `data` without its BOM; raises `EncodingProblem` if it is not UTF-8."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise EncodingProblem(
            1, f"this is a spreadsheet (Excel/LibreOffice) file, not CSV — {SAVE_AS_CSV}"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise EncodingProblem(1, f"the file is UTF-16, not UTF-8 — {SAVE_AS_UTF8}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        raise EncodingProblem(
            line,
            f"byte 0x{data[error.start]:02X} at column {error.start - line_start + 1} is not "
            f"UTF-8 — {SAVE_AS_UTF8}",
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        # Valid UTF-8 but not text: typically UTF-16 without a BOM, or a spreadsheet binary.
        line = text.count("\n", 0, nul) + 1
        raise EncodingProblem(
            line, f"the file contains NUL characters, so it is not text — {SAVE_AS_UTF8}"
        )
    return text
