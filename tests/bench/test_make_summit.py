"""The benchmark's summit is valid input for the real importer and has the promised shape.

A benchmark on data the importer rejects, or on data without invited sessions or with
double-booked delegates, would measure the wrong thing; this checks a small run (300
delegates) through `bot.importers.parse_file` and `bot.services.imports.import_files`. The
programme itself does not grow with the number of delegates (about 600 sessions whatever
N is), so its counts are checked as for the full-size summit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bench.make_summit import LANGUAGES, ROOMS, SummitSize, make_summit
from bot.domain.models import Audience, SessionKind
from bot.importers import FileKind, ParsedFile, parse_file
from bot.services.imports import SourceFile, import_files
from bot.storage.database import Database

VENUE = ZoneInfo("Asia/Riyadh")
DELEGATES = 300
ROWS_PER_FILE = 5000
"""Small, so that attendance is split into parts here as it is at 20,000 delegates."""


@pytest.fixture(scope="module")
def summit(tmp_path_factory: pytest.TempPathFactory) -> tuple[SummitSize, list[ParsedFile]]:
    out = tmp_path_factory.mktemp("summit")
    size = make_summit(out, DELEGATES, seed=7, rows_per_file=ROWS_PER_FILE)
    parsed = [parse_file(path.name, path.read_bytes(), VENUE) for path in size.files]
    return size, parsed


def test_every_file_parses_without_errors(summit):
    size, parsed = summit
    assert [p.errors for p in parsed] == [[] for _ in parsed]
    kinds = [p.kind for p in parsed]
    assert kinds[:2] == [FileKind.SESSIONS, FileKind.DELEGATES]
    assert len(kinds) > 3, "attendance should have been split into parts"
    assert set(kinds[2:]) == {FileKind.ATTENDANCE}
    assert all(len(p.attendance) <= ROWS_PER_FILE for p in parsed[2:])
    assert [path.name for path in size.files[2:4]] == ["attendance-01.csv", "attendance-02.csv"]


def test_counts_match_the_shape_of_a_summit(summit):
    size, parsed = summit
    sessions = [row.value for row in parsed[0].sessions]
    delegates = [row.value for row in parsed[1].delegates]
    attendance = [row.value for p in parsed[2:] for row in p.attendance]
    assert (len(sessions), len(delegates), len(attendance)) == (
        size.sessions,
        size.delegates,
        size.attendance,
    )
    assert len(delegates) == DELEGATES
    assert len({d.delegation for d in delegates}) == size.delegations == DELEGATES // 20
    assert 540 <= len(sessions) <= 680
    assert {s.room for s in sessions} == set(ROOMS) and len(ROOMS) == 30
    assert len({s.start.astimezone(VENUE).date() for s in sessions}) == 5
    kinds = Counter(s.kind for s in sessions)
    assert set(kinds) == set(SessionKind)
    assert kinds[SessionKind.PLENARY] == 5
    invited = sum(s.audience is Audience.INVITED for s in sessions)
    assert invited == size.invited_sessions
    assert 0.2 <= invited / len(sessions) <= 0.4
    assert 35 <= len(attendance) / len(delegates) <= 45
    assert {d.language for d in delegates} == {*LANGUAGES, None}
    assert sum("ar" in s.titles and "fr" in s.titles for s in sessions) > len(sessions) * 0.6
    assert 0 < sum("ru" in s.titles for s in sessions) < len(sessions) / 2


def test_attendance_names_existing_delegates_and_sessions(summit):
    _, parsed = summit
    session_ids = {row.value.id for row in parsed[0].sessions}
    delegate_ids = {row.value.id for row in parsed[1].delegates}
    rows = [row.value for p in parsed[2:] for row in p.attendance]
    assert {r.delegate_id for r in rows} <= delegate_ids
    assert {r.session_id for r in rows} <= session_ids
    assert len({(r.delegate_id, r.session_id) for r in rows}) == len(rows)


def test_a_bilateral_is_attended_by_its_two_delegations_only(summit):
    _, parsed = summit
    delegation = {row.value.id: row.value.delegation for row in parsed[1].delegates}
    bilaterals = {
        row.value.id
        for row in parsed[0].sessions
        if row.value.kind is SessionKind.BILATERAL and row.value.audience is Audience.INVITED
    }
    sides: dict[str, set[str]] = defaultdict(set)
    for p in parsed[2:]:
        for row in p.attendance:
            if row.value.session_id in bilaterals:
                sides[row.value.session_id].add(delegation[row.value.delegate_id])
    assert set(sides) == bilaterals, "every bilateral has attendees"
    assert all(1 <= len(names) <= 2 for names in sides.values())
    assert sum(len(names) == 2 for names in sides.values()) > len(bilaterals) * 0.9


def test_no_delegate_is_double_booked(summit):
    _, parsed = summit
    times = {row.value.id: (row.value.start, row.value.end) for row in parsed[0].sessions}
    agenda: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for p in parsed[2:]:
        for row in p.attendance:
            agenda[row.value.delegate_id].append(times[row.value.session_id])
    for delegate_id, slots in agenda.items():
        slots.sort()
        for (_, end), (start, _) in pairwise(slots):
            assert start >= end, f"{delegate_id} has two sessions at once"


def test_the_same_seed_gives_the_same_files(summit, tmp_path: Path):
    size, _ = summit
    again = make_summit(tmp_path, DELEGATES, seed=7, rows_per_file=ROWS_PER_FILE)
    assert [p.read_bytes() for p in again.files] == [p.read_bytes() for p in size.files]
    other = make_summit(tmp_path / "other", DELEGATES, seed=8, rows_per_file=ROWS_PER_FILE)
    assert other.files[1].read_bytes() != size.files[1].read_bytes()


async def test_all_files_import_together_into_a_fresh_database(summit, tmp_path: Path):
    size, _ = summit
    sources = [SourceFile(path.name, path.read_bytes()) for path in size.files]
    database = await Database.open(tmp_path / "summit.db")
    try:
        report = await import_files(database, sources, VENUE)
    finally:
        await database.close()
    assert report.errors == []
    assert (report.sessions.added, report.delegates.added, report.attendance.added) == (
        size.sessions,
        size.delegates,
        size.attendance,
    )
