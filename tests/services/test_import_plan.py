"""The import's decisions before anything is written: pure, so tested without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.domain.models import AttendanceRow, Audience, Delegate, Session
from bot.domain.schedule_ids import export_guid
from bot.importers import FileKind, ImportIssue, Located, ParsedFile
from bot.services.import_plan import (
    aliased,
    comparable,
    duplicates_across_files,
    from_schedule,
    read_files,
    unknown_references,
)

START = datetime(2030, 6, 10, 9, 0, tzinfo=UTC)


def session(session_id: str, **changes: Any) -> Session:
    plain = Session(session_id, session_id.title(), START, START + timedelta(hours=1), "Hall")
    return replace(plain, **changes)


def test_an_attendance_row_may_name_what_the_same_run_brings() -> None:
    sessions = ParsedFile("s.csv", FileKind.SESSIONS, sessions=[Located(2, session("new"))])
    rows = ParsedFile(
        "a.csv",
        FileKind.ATTENDANCE,
        attendance=[
            Located(2, AttendanceRow("known", "new")),
            Located(3, AttendanceRow("nobody", "old")),
            Located(4, AttendanceRow("known", "nothing")),
        ],
    )
    problems = unknown_references([sessions, rows], {"known"}, {"old"})
    assert [(p.file, p.line) for p in problems] == [("a.csv", 3), ("a.csv", 4)]
    assert "unknown delegate 'nobody'" in problems[0].message
    assert "unknown session 'nothing'" in problems[1].message


def test_the_same_id_in_two_files_is_ambiguous_but_not_twice_in_one() -> None:
    one = ParsedFile(
        "one.csv",
        FileKind.DELEGATES,
        delegates=[Located(2, Delegate("d1", "D", "X")), Located(3, Delegate("d1", "D", "X"))],
    )
    two = ParsedFile(
        "two.csv", FileKind.DELEGATES, delegates=[Located(5, Delegate("d1", "D", "X"))]
    )
    assert duplicates_across_files([one]) == []
    assert duplicates_across_files([one, two]) == [
        ImportIssue("two.csv", 5, "delegate id 'd1' is also in one.csv:2 — keep it in one file")
    ]


def test_a_schedule_keeps_a_known_sessions_audience_and_translations() -> None:
    known = session("x", audience=Audience.INVITED, titles={"fr": "X"})
    fresh = session("x", title="New title")
    kept = from_schedule(fresh, {"x": known})
    assert (kept.title, kept.audience, dict(kept.titles)) == (
        "New title",
        Audience.INVITED,
        {"fr": "X"},
    )
    assert from_schedule(session("y"), {"x": known}) == session("y")


def test_an_exported_guid_leads_back_to_its_session() -> None:
    known = session("opening", audience=Audience.INVITED)
    event = session(export_guid("opening"))
    [result] = aliased([event], {"opening": known})
    assert result.id == "opening" and result.audience is Audience.INVITED
    assert list(aliased([session("other")], {"opening": known})) == [session("other")]


def test_the_sequence_does_not_make_a_session_changed() -> None:
    assert comparable(session("x")) == comparable(session("x", sequence=7))
    assert comparable(session("x")) != comparable(session("x", room="Annex"))


def test_unreadable_files_are_issues_not_exceptions(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(b"id\n")
    sources, problems = read_files([good, tmp_path / "missing.csv", tmp_path])
    assert [s.name for s in sources] == [str(good)]
    assert sources[0].directory == tmp_path.resolve()
    assert [p.message for p in problems] == ["file not found", "is a folder, not a file"]
