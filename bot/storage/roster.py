"""The delegates file's delegates and delegations, as an import writes them.

Delegations are matched by name without regard to case, so "NATO" and "Nato" in two
files are one delegation.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage.database import Reader, Transaction

ImportedDelegate = tuple[str, str, str | None, str]
"""(name, delegation name casefolded, language, role): what an import compares."""


async def known_ids(reader: Reader) -> set[str]:
    return {row[0] for row in await reader.fetchall("SELECT id FROM delegate")}


async def as_imported(reader: Reader) -> dict[str, ImportedDelegate]:
    """Every delegate by id, in the form an import compares with a file's rows."""
    return {
        row["id"]: (row["name"], row["delegation"].casefold(), row["language"], row["role"])
        for row in await reader.fetchall(
            """SELECT d.id, d.name, g.name AS delegation, d.language, d.role
                 FROM delegate d JOIN delegation g ON g.id = d.delegation_id"""
        )
    }


async def ensure_delegations(tx: Transaction, names: Iterable[str]) -> dict[str, int]:
    """Add the delegations not there yet; returns every delegation's id by casefolded name."""
    await tx.executemany(
        "INSERT OR IGNORE INTO delegation (name) VALUES (?)", [(name,) for name in names]
    )
    return {
        row["name"].casefold(): row["id"]
        for row in await tx.fetchall("SELECT id, name FROM delegation")
    }


async def upsert_delegates(
    tx: Transaction, rows: Iterable[tuple[str, str, int, str | None, str]]
) -> None:
    """Add or update delegates: (id, name, delegation id, language, role)."""
    await tx.executemany(
        """INSERT INTO delegate (id, name, delegation_id, language, role) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name,
               delegation_id = excluded.delegation_id, language = excluded.language,
               role = excluded.role""",
        rows,
    )
