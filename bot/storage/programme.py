"""Reading the programme: sessions, translated titles, agendas.

Each agenda question is one query. The agenda rule of `bot.domain.agenda.on_agenda`
(open plenaries + attended sessions) is a UNION of two index-driven halves rather than
an OR, so SQLite walks the delegate's attendance rows and the partial plenary index
instead of scanning every session.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.domain.models import Audience, Session, SessionKind, SessionStatus
from bot.storage.database import Database, Reader
from bot.storage.rows import from_row

_COLUMNS = (
    "s.id, s.title, s.starts_at, s.ends_at, s.room, s.track, s.kind, s.audience, s.status,"
    " s.description, s.speakers, s.sequence"
)

_AGENDA = f"""
    SELECT {_COLUMNS}, t.title AS translated FROM session s
      JOIN attendance a ON a.session_id = s.id AND a.delegate_id = :delegate
      LEFT JOIN session_title t ON t.session_id = s.id AND t.language = :language
     WHERE s.starts_at < :end AND s.ends_at > :start
    UNION
    SELECT {_COLUMNS}, t.title AS translated FROM session s
      LEFT JOIN session_title t ON t.session_id = s.id AND t.language = :language
     WHERE s.kind = 'plenary' AND s.audience = 'all'
       AND s.starts_at < :end AND s.ends_at > :start
    ORDER BY 3, 4, 1
"""

_AGENDA_ENDING_AFTER = f"""
    SELECT {_COLUMNS}, t.title AS translated FROM session s
      JOIN attendance a ON a.session_id = s.id AND a.delegate_id = :delegate
      LEFT JOIN session_title t ON t.session_id = s.id AND t.language = :language
     WHERE s.ends_at > :now AND s.starts_at < :horizon AND s.status = 'scheduled'
    UNION
    SELECT {_COLUMNS}, t.title AS translated FROM session s
      LEFT JOIN session_title t ON t.session_id = s.id AND t.language = :language
     WHERE s.kind = 'plenary' AND s.audience = 'all'
       AND s.ends_at > :now AND s.starts_at < :horizon AND s.status = 'scheduled'
    ORDER BY 3, 4, 1
    LIMIT :limit
"""


def to_timestamp(moment: datetime) -> int:
    return int(moment.timestamp())


def from_timestamp(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def session_from_row(row: sqlite3.Row, titles: dict[str, str] | None = None) -> Session:
    """A Session from a row of `_COLUMNS` (plus `translated` for one language)."""
    return from_row(
        Session,
        row,
        start=from_timestamp(row["starts_at"]),
        end=from_timestamp(row["ends_at"]),
        kind=SessionKind(row["kind"]),
        audience=Audience(row["audience"]),
        status=SessionStatus(row["status"]),
        speakers=tuple(json.loads(row["speakers"])),
        titles=titles or {},
    )


def _with_translation(rows: Sequence[sqlite3.Row], language: str) -> list[Session]:
    return [
        session_from_row(row, {language: row["translated"]} if row["translated"] else None)
        for row in rows
    ]


async def sessions_by_ids(reader: Reader, ids: Sequence[str]) -> dict[str, Session]:
    """Sessions with all their translated titles, in two queries whatever their number."""
    if not ids:
        return {}
    found: dict[str, Session] = {}
    for chunk_start in range(0, len(ids), 500):  # SQLite caps bound parameters
        chunk = list(ids[chunk_start : chunk_start + 500])
        marks = ",".join("?" * len(chunk))
        titles: dict[str, dict[str, str]] = {}
        for row in await reader.fetchall(
            f"SELECT session_id, language, title FROM session_title WHERE session_id IN ({marks})",
            chunk,
        ):
            titles.setdefault(row["session_id"], {})[row["language"]] = row["title"]
        for row in await reader.fetchall(
            f"SELECT {_COLUMNS} FROM session s WHERE s.id IN ({marks})", chunk
        ):
            found[row["id"]] = session_from_row(row, titles.get(row["id"]))
    return found


async def all_sessions(reader: Reader) -> dict[str, Session]:
    """Every session by id, with all its translated titles (what an import compares with)."""
    titles: dict[str, dict[str, str]] = {}
    for row in await reader.fetchall("SELECT session_id, language, title FROM session_title"):
        titles.setdefault(row["session_id"], {})[row["language"]] = row["title"]
    rows = await reader.fetchall(f"SELECT {_COLUMNS} FROM session s")
    return {row["id"]: session_from_row(row, titles.get(row["id"])) for row in rows}


async def known_ids(reader: Reader) -> set[str]:
    return {row[0] for row in await reader.fetchall("SELECT id FROM session")}


async def scheduled(reader: Reader, *, include_invited: bool) -> list[Session]:
    """Scheduled sessions by start, room and id (only `all` ones unless `include_invited`),
    without translated titles: what an export publishes."""
    audience = "" if include_invited else " AND s.audience = ?"
    params: tuple[str, ...] = (SessionStatus.SCHEDULED.value,)
    if not include_invited:
        params += (Audience.ALL.value,)
    rows = await reader.fetchall(
        f"SELECT {_COLUMNS} FROM session s"
        f" WHERE s.status = ?{audience} ORDER BY s.starts_at, s.room, s.id",
        params,
    )
    return [session_from_row(row) for row in rows]


class ProgrammeStore:
    """Questions about the programme, each answered by one query."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def agenda_between(
        self, delegate_id: str, start: datetime, end: datetime, language: str
    ) -> list[Session]:
        """The delegate's agenda items running at any moment of [start, end), cancelled ones
        included: a session across midnight is on both days it covers."""
        rows = await self._db.fetchall(
            _AGENDA,
            {
                "delegate": delegate_id,
                "language": language,
                "start": to_timestamp(start),
                "end": to_timestamp(end),
            },
        )
        return _with_translation(rows, language)

    async def agenda_from(
        self, delegate_id: str, now: datetime, horizon: datetime, language: str, limit: int = 20
    ) -> list[Session]:
        """Scheduled agenda items not yet over at `now` and starting before `horizon`."""
        rows = await self._db.fetchall(
            _AGENDA_ENDING_AFTER,
            {
                "delegate": delegate_id,
                "language": language,
                "now": to_timestamp(now),
                "horizon": to_timestamp(horizon),
                "limit": limit,
            },
        )
        return _with_translation(rows, language)

    async def visible_between(
        self, delegate_id: str, start: datetime, end: datetime, language: str
    ) -> list[tuple[Session, bool]]:
        """Sessions starting in [start, end) the delegate may see, each with whether they
        attend it: every `all` session, and `invited` ones only where they attend."""
        return await self._between(
            start,
            end,
            language,
            delegate_id,
            "AND (s.audience = 'all' OR a.delegate_id IS NOT NULL)",
        )

    async def all_between(
        self, start: datetime, end: datetime, language: str, delegate_id: str | None = None
    ) -> list[tuple[Session, bool]]:
        """Every session starting in [start, end), invited ones included: the organizers'
        view. Each comes with whether `delegate_id` (if any) attends it."""
        return await self._between(start, end, language, delegate_id, "")

    async def _between(
        self,
        start: datetime,
        end: datetime,
        language: str,
        delegate_id: str | None,
        audience_condition: str,
    ) -> list[tuple[Session, bool]]:
        """Sessions starting in [start, end) that meet `audience_condition` (an SQL
        `AND …` over `s` and `a`, or nothing), each with whether `delegate_id` attends."""
        rows = await self._db.fetchall(
            f"""SELECT {_COLUMNS}, t.title AS translated, a.delegate_id IS NOT NULL AS attending
                  FROM session s
                  LEFT JOIN attendance a ON a.session_id = s.id AND a.delegate_id = :delegate
                  LEFT JOIN session_title t ON t.session_id = s.id AND t.language = :language
                 WHERE s.starts_at >= :start AND s.starts_at < :end
                   {audience_condition}
                 ORDER BY s.starts_at, s.ends_at, s.id""",
            {
                "delegate": delegate_id,
                "language": language,
                "start": to_timestamp(start),
                "end": to_timestamp(end),
            },
        )
        sessions = _with_translation(rows, language)
        return [
            (session, bool(row["attending"])) for session, row in zip(sessions, rows, strict=True)
        ]

    async def start_times(self, delegate_id: str | None, everything: bool) -> list[datetime]:
        """Every distinct start time a viewer may see (the days that have sessions, for the
        Mini App): open sessions and the delegate's own; `everything` for organizers. A
        private meeting must not reveal its day to anyone else."""
        if everything:
            rows = await self._db.fetchall("SELECT DISTINCT starts_at FROM session")
        else:
            rows = await self._db.fetchall(
                """SELECT starts_at FROM session WHERE audience = 'all'
                   UNION
                   SELECT s.starts_at FROM attendance a JOIN session s ON s.id = a.session_id
                    WHERE a.delegate_id = ?""",
                (delegate_id or "",),
            )
        return [from_timestamp(row[0]) for row in rows]

    async def ids(self) -> list[str]:
        """Every session id (to resolve a button's short key for an organizer)."""
        return [row[0] for row in await self._db.fetchall("SELECT id FROM session")]

    async def attend(self, delegate_id: str, session_id: str, attending: bool) -> bool:
        """The delegate's own choice from /program; False if the session is not open.

        The row is marked as the delegate's (`source = 'delegate'`), so it does not survive
        the session becoming invited; a row the organizers made stays theirs.
        """
        async with self._db.transaction() as tx:
            if attending:
                return (
                    await tx.execute(
                        """INSERT OR IGNORE INTO attendance (delegate_id, session_id, source)
                           SELECT ?, id, 'delegate' FROM session
                            WHERE id = ? AND audience = 'all'""",
                        (delegate_id, session_id),
                    )
                    > 0
                )
            await tx.execute(
                "DELETE FROM attendance WHERE delegate_id = ? AND session_id = ?",
                (delegate_id, session_id),
            )
            return True

    async def span(self, delegate_id: str) -> tuple[datetime, datetime] | None:
        """When the first and the last session this delegate may see start.

        Only what the delegate may see counts: a private meeting after the public
        programme must not show up as a day button for everyone else.
        """
        # Each half is answered from one end of an index: the open sessions by start,
        # and the delegate's own attendance rows.
        row = await self._db.fetchone(
            """SELECT MIN(first), MAX(last) FROM (
                   SELECT (SELECT starts_at FROM session WHERE audience = 'all'
                            ORDER BY starts_at LIMIT 1) AS first,
                          (SELECT starts_at FROM session WHERE audience = 'all'
                            ORDER BY starts_at DESC LIMIT 1) AS last
                   UNION ALL
                   SELECT MIN(s.starts_at), MAX(s.starts_at) FROM attendance a
                     JOIN session s ON s.id = a.session_id
                    WHERE a.delegate_id = ?)""",
            (delegate_id,),
        )
        if row is None or row[0] is None:
            return None
        return from_timestamp(row[0]), from_timestamp(row[1])

    async def public_span(self) -> tuple[datetime, datetime] | None:
        """When the first and last open session start: what anyone may see."""
        # No delegate has the id "": only the open half of span() answers.
        return await self.span("")

    async def full_span(self) -> tuple[datetime, datetime] | None:
        """When the first and last session of any audience start: the organizers' view,
        never shown to delegates."""
        row = await self._db.fetchone("SELECT MIN(starts_at), MAX(starts_at) FROM session")
        if row is None or row[0] is None:
            return None
        return from_timestamp(row[0]), from_timestamp(row[1])

    async def viewer_span(
        self, delegate_id: str | None, organizer: bool
    ) -> tuple[datetime, datetime] | None:
        """The span a viewer navigates: organizers everything, delegates what they may see."""
        if organizer:
            return await self.full_span()
        return await self.span(delegate_id) if delegate_id else await self.public_span()

    async def get(self, session_id: str) -> Session | None:
        """One session with all its translated titles (no visibility check: callers do it)."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM session s WHERE s.id = ?", (session_id,)
        )
        if row is None:
            return None
        titles = await self._db.fetchall(
            "SELECT language, title FROM session_title WHERE session_id = ?", (session_id,)
        )
        return session_from_row(row, {t["language"]: t["title"] for t in titles})
