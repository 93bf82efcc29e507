"""The programme's SQL agrees with the rules it implements (`bot.domain.agenda`).

`visible_to` and `on_agenda` state who sees a session and what is on a delegate's agenda;
the storage queries answer the same questions in SQL for speed (UNIONs, partial
indexes). On random small programmes (open and invited sessions, plenaries, cancelled
ones, attendance made by the organizers or chosen by the delegate) every query must
return exactly what the pure rules select.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.agenda import on_agenda, visible_to
from bot.domain.models import Audience, Session, SessionKind, SessionStatus
from bot.storage import attendance, programme_writes, roster
from bot.storage.database import Database
from bot.storage.programme import ProgrammeStore

BASE = datetime(2030, 6, 10, 6, 0, tzinfo=UTC)
DELEGATES = ("a", "b", "c")
WINDOW_START = BASE + timedelta(hours=3)
WINDOW_END = BASE + timedelta(hours=9)
NOW = BASE + timedelta(hours=4)
HORIZON = BASE + timedelta(hours=10)


@dataclass(frozen=True)
class Programme:
    sessions: list[Session]
    by_organizers: set[tuple[str, str]]
    """(delegate, session) rows the organizers made."""
    chosen: set[tuple[str, str]]
    """(delegate, session) rows delegates chose themselves while the session was open."""

    def attends(self, delegate: str, session: Session) -> bool:
        return (delegate, session.id) in self.by_organizers | self.chosen


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    count = draw(st.integers(min_value=0, max_value=8))
    sessions = []
    for number in range(count):
        start = BASE + timedelta(minutes=30 * draw(st.integers(min_value=0, max_value=24)))
        length = timedelta(minutes=30 * draw(st.integers(min_value=1, max_value=6)))
        sessions.append(
            Session(
                id=f"s{number}",
                title=f"Session {number}",
                start=start,
                end=start + length,
                room="Hall",
                kind=draw(st.sampled_from([SessionKind.PLENARY, SessionKind.PANEL])),
                audience=draw(st.sampled_from(list(Audience))),
                status=draw(st.sampled_from(list(SessionStatus))),
            )
        )
    pairs = st.tuples(st.sampled_from(DELEGATES), st.sampled_from([s.id for s in sessions]))
    by_organizers: set[tuple[str, str]] = set()
    chosen: set[tuple[str, str]] = set()
    if sessions:
        by_organizers = draw(st.sets(pairs, max_size=10))
        chosen = draw(st.sets(pairs, max_size=10)) - by_organizers
    return Programme(sessions, by_organizers, chosen)


async def _store(programme: Programme, path: Path) -> tuple[Database, ProgrammeStore]:
    database = await Database.open(path)
    store = ProgrammeStore(database)
    async with database.transaction() as tx:
        ids = await roster.ensure_delegations(tx, ["X"])
        await roster.upsert_delegates(
            tx, [(d, d.upper(), ids["x"], None, "delegate") for d in DELEGATES]
        )
        # A delegate chooses only open sessions: write all open first, let them choose,
        # then give every session its drawn audience (an invited one keeps such rows
        # until an import withdraws them, and the queries must still be right).
        opened = [replace(s, audience=Audience.ALL) for s in programme.sessions]
        await programme_writes.write_sessions(tx, opened, source="")
        await attendance.add_for_organizers(tx, sorted(programme.by_organizers))
    for delegate, session_id in sorted(programme.chosen):
        assert await store.attend(delegate, session_id, True)
    async with database.transaction() as tx:
        await programme_writes.write_sessions(tx, programme.sessions, source="")
    return database, store


def _ids(sessions: list[Session]) -> list[str]:
    return [s.id for s in sessions]


def _ordered(sessions: list[Session]) -> list[str]:
    return [s.id for s in sorted(sessions, key=lambda s: (s.start, s.end, s.id))]


async def _check(programme: Programme, path: Path) -> None:
    database, store = await _store(programme, path)
    try:
        for delegate in DELEGATES:
            attending = {s.id: programme.attends(delegate, s) for s in programme.sessions}
            visible = [s for s in programme.sessions if visible_to(s, attending=attending[s.id])]
            agenda = [s for s in programme.sessions if on_agenda(s, attending=attending[s.id])]

            shown = await store.visible_between(delegate, WINDOW_START, WINDOW_END, "en")
            expected = [s for s in visible if WINDOW_START <= s.start < WINDOW_END]
            assert [s.id for s, _ in shown] == _ordered(expected)
            assert all(flag == attending[s.id] for s, flag in shown)

            running = await store.agenda_between(delegate, WINDOW_START, WINDOW_END, "en")
            expected = [s for s in agenda if s.start < WINDOW_END and s.end > WINDOW_START]
            assert _ids(running) == _ordered(expected)

            ahead = await store.agenda_from(delegate, NOW, HORIZON, "en")
            expected = [s for s in agenda if not s.cancelled and s.end > NOW and s.start < HORIZON]
            assert _ids(ahead) == _ordered(expected)

            starts = await store.start_times(delegate, everything=False)
            assert sorted(set(starts)) == sorted({s.start for s in visible})

            span = await store.span(delegate)
            starts_seen = [s.start for s in visible]
            assert span == ((min(starts_seen), max(starts_seen)) if starts_seen else None)
    finally:
        await database.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes())
def test_the_agenda_and_visibility_queries_follow_the_domain_rules(programme: Programme) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_check(programme, Path(folder) / "summit.db"))
