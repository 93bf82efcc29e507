"""Who a pushed message goes to: registered, reachable delegates, with their languages."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import negotiate
from bot.storage.database import Reader


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    delegate_id: str
    chosen_language: str | None
    file_language: str | None
    telegram_language: str | None

    def language(self, default: str) -> str:
        """The delegate's own choice, then the delegates file, then Telegram's, then default."""
        return negotiate(
            self.chosen_language, self.file_language, self.telegram_language, default=default
        )


COLUMNS = (
    "u.user_id, d.id AS delegate_id, u.language AS chosen, d.language AS file_language,"
    " u.telegram_language"
)
REGISTERED = f"""
    SELECT {COLUMNS} FROM telegram_user u JOIN delegate d ON d.id = u.delegate_id
     WHERE u.reachable = 1
"""


def recipient(row: sqlite3.Row) -> Recipient:
    return Recipient(
        row["user_id"],
        row["delegate_id"],
        row["chosen"],
        row["file_language"],
        row["telegram_language"],
    )


async def holders(reader: Reader, session_ids: Sequence[str]) -> dict[str, list[Recipient]]:
    """For each session, the registered delegates who have it on their agenda.

    That is its attendees, or everyone for an open plenary (the agenda rule of
    bot.domain.agenda.on_agenda).
    """
    result: dict[str, list[Recipient]] = {session_id: [] for session_id in session_ids}
    if not session_ids:
        return result
    marks = ",".join("?" * len(session_ids))
    open_plenaries = {
        row[0]
        for row in await reader.fetchall(
            f"""SELECT id FROM session WHERE id IN ({marks})
                  AND kind = 'plenary' AND audience = 'all'""",
            tuple(session_ids),
        )
    }
    if open_plenaries:
        everyone = [recipient(row) for row in await reader.fetchall(REGISTERED)]
        for session_id in open_plenaries:
            result[session_id] = everyone
    rest = [s for s in session_ids if s not in open_plenaries]
    if rest:
        marks = ",".join("?" * len(rest))
        rows = await reader.fetchall(
            f"""SELECT a.session_id, {COLUMNS} FROM attendance a
                  JOIN delegate d ON d.id = a.delegate_id
                  JOIN telegram_user u ON u.delegate_id = d.id
                 WHERE a.session_id IN ({marks}) AND u.reachable = 1""",
            tuple(rest),
        )
        for row in rows:
            result[row["session_id"]].append(recipient(row))
    return result


async def registered(reader: Reader, delegate_ids: Sequence[str]) -> dict[str, Recipient]:
    """The registered, reachable accounts of these delegates, by delegate id."""
    found: dict[str, Recipient] = {}
    for chunk_start in range(0, len(delegate_ids), 500):  # SQLite caps bound parameters
        chunk = list(delegate_ids[chunk_start : chunk_start + 500])
        marks = ",".join("?" * len(chunk))
        for row in await reader.fetchall(f"{REGISTERED} AND d.id IN ({marks})", chunk):
            found[row["delegate_id"]] = recipient(row)
    return found
