"""The programme's write repositories: session writes, attendance, the delegates' roster."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.domain.models import Audience, Session, SessionStatus
from bot.storage import attendance, programme_writes, roster
from bot.storage.database import Database
from bot.storage.programme import ProgrammeStore, all_sessions, known_ids, scheduled

START = datetime(2030, 6, 10, 9, 0, tzinfo=UTC)


def session(session_id: str, **changes: Any) -> Session:
    plain = Session(session_id, session_id.title(), START, START + timedelta(hours=1), "Hall")
    return replace(plain, **changes)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "summit.db")
    async with db.transaction() as tx:
        ids = await roster.ensure_delegations(tx, ["Nato"])
        await roster.upsert_delegates(
            tx, [("a", "A", ids["nato"], None, "delegate"), ("b", "B", ids["nato"], "fr", "head")]
        )
        await programme_writes.write_sessions(
            tx,
            [
                session("open", titles={"fr": "Ouvert"}),
                session("closed", audience=Audience.INVITED),
            ],
            source="https://example.org/schedule.xml",
        )
    yield db
    await db.close()


async def test_sessions_read_back_as_written_with_their_translations(database: Database) -> None:
    sessions = await all_sessions(database)
    assert sessions["open"].titles == {"fr": "Ouvert"}
    assert sessions["closed"].audience is Audience.INVITED
    assert await known_ids(database) == {"open", "closed"}
    assert [s.id for s in await scheduled(database, include_invited=False)] == ["open"]
    assert [s.id for s in await scheduled(database, include_invited=True)] == ["closed", "open"]


async def test_a_change_writes_only_its_columns_and_bumps_the_sequence(database: Database) -> None:
    async with database.transaction() as tx:
        await programme_writes.set_columns(tx, "open", {"room": "Annex"})
    after = (await all_sessions(database))["open"]
    assert (after.room, after.title, after.sequence) == ("Annex", "Open", 1)
    with pytest.raises(ValueError, match="title"):
        async with database.transaction() as tx:
            await programme_writes.set_columns(tx, "open", {"title": "Nope"})


async def test_a_source_cancels_only_its_own_sessions_it_no_longer_lists(
    database: Database,
) -> None:
    source = "https://example.org/schedule.xml"
    async with database.transaction() as tx:
        await programme_writes.write_sessions(tx, [session("local")], source="")
        gone = await programme_writes.cancel_unlisted(tx, source, {"open"})
    assert gone == ["closed"]
    statuses = {k: s.status for k, s in (await all_sessions(database)).items()}
    assert statuses == {
        "open": SessionStatus.SCHEDULED,
        "closed": SessionStatus.CANCELLED,
        "local": SessionStatus.SCHEDULED,
    }


async def test_attendance_counts_what_changed_and_organizers_take_over_a_choice(
    database: Database,
) -> None:
    assert await ProgrammeStore(database).attend("a", "open", True)
    async with database.transaction() as tx:
        added = await attendance.add_for_organizers(tx, [("a", "open"), ("b", "open")])
        removed = await attendance.remove(tx, [("b", "open"), ("b", "closed")])
    assert (added, removed) == (1, 1)
    async with database.transaction() as tx:
        # "a" chose it, but the organizers' row now stands: nothing is withdrawn.
        await programme_writes.write_sessions(tx, [session("open", audience=Audience.INVITED)], "")
        assert await attendance.withdraw_delegate_choices_of_invited(tx) == []


async def test_a_delegates_own_choice_of_a_session_made_invited_is_withdrawn(
    database: Database,
) -> None:
    assert await ProgrammeStore(database).attend("b", "open", True)
    async with database.transaction() as tx:
        await programme_writes.write_sessions(tx, [session("open", audience=Audience.INVITED)], "")
        assert await attendance.withdraw_delegate_choices_of_invited(tx) == [("b", "open")]
        assert await attendance.count(tx) == 0


async def test_the_roster_matches_delegations_without_regard_to_case(database: Database) -> None:
    async with database.transaction() as tx:
        ids = await roster.ensure_delegations(tx, ["NATO", "EU"])
    assert set(ids) == {"nato", "eu"}
    assert await roster.known_ids(database) == {"a", "b"}
    assert (await roster.as_imported(database))["b"] == ("B", "nato", "fr", "head")
