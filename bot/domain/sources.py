"""A programme source (a schedule URL) as the bot last saw it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SourceState:
    url: str
    etag: str = ""
    last_modified: str = ""
    checked_at: datetime | None = None
    success_at: datetime | None = None
    error_at: datetime | None = None
    error: str = ""
    """The last error (HTTP status or parse error); "" once a later fetch succeeded."""
