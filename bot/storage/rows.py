"""Rows into the dataclasses they hold.

Most columns carry a field's name and value as they are; only the rest (an enum, a
timestamp, JSON, a flag) need saying. `from_row` takes the columns named like the fields
and the converted values for the others, so each reader lists only what it converts.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


def from_row(cls: type[T], row: sqlite3.Row, **converted: Any) -> T:
    """A `cls` whose fields are `converted` where given, else the column of that name."""
    same = {f.name: row[f.name] for f in dataclasses.fields(cls) if f.name not in converted}
    return cls(**same, **converted)
