"""Delegates and attendance CSV files."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import AttendanceRow, Delegate, Role
from bot.importers import FileKind, ParsedFile, parse_file

DATA = Path(__file__).parent.parent / "data"
RIYADH = ZoneInfo("Asia/Riyadh")


def parse(text: str, name: str) -> ParsedFile:
    return parse_file(name, text.encode(), RIYADH)


def test_delegates_fixture() -> None:
    result = parse_file("delegates.csv", (DATA / "delegates.csv").read_bytes(), RIYADH)

    assert result.ok, result.errors
    assert result.kind is FileKind.DELEGATES
    assert [(located.line, located.value) for located in result.delegates] == [
        (2, Delegate("D1", "Amina Haddad", "Jordan", "ar", Role.DELEGATE)),
        (3, Delegate("D2", "João Silva", "Brazil", "pt", Role.DELEGATE)),
        (4, Delegate("D3", "Anne Martin", "France", "fr", Role.DELEGATE)),
        (5, Delegate("D4", "Sam Lee", "Secretariat", None, Role.ORGANIZER)),
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "en"), ("AR-sa", "ar"), ("pt_BR", "pt"), ("zh-Hant-TW", "zh"), ("fil", "fil")],
)
def test_delegate_language_is_normalised_to_base(code: str, expected: str) -> None:
    result = parse(f"id,name,delegation,language\nD1,N,X,{code}\n", "delegates.csv")

    assert result.delegates[0].value.language == expected


@pytest.mark.parametrize("code", ["english", "xx", "e", "en-"])
def test_unknown_delegate_language(code: str) -> None:
    result = parse(f"id,name,delegation,language\nD1,N,X,{code}\n", "delegates.csv")

    assert [str(issue) for issue in result.errors] == [
        f'delegates.csv:2: language: unknown language "{code}" — use a language code such as '
        "en, fr, ar or pt-BR (or leave it empty)"
    ]


def test_unknown_role() -> None:
    result = parse("id,name,delegation,role\nD1,N,X,admin\n", "delegates.csv")

    assert [issue.message for issue in result.errors] == [
        'unknown role "admin" — use one of: delegate, head, organizer'
    ]


def test_delegate_required_fields_and_duplicates() -> None:
    result = parse(
        "id,name,delegation\nD1,Ann,France\nD2,,\nD1,Bob,Germany\n",
        "delegates.csv",
    )

    assert [str(issue) for issue in result.errors] == [
        "delegates.csv:3: name is empty — every delegate needs a name",
        "delegates.csv:3: delegation is empty — every delegate belongs to a delegation",
        'delegates.csv:4: id "D1" is already used on line 2 — ids must be unique within a file',
    ]
    assert [located.value.id for located in result.delegates] == ["D1"]


def test_attendance_fixture_with_remove() -> None:
    result = parse_file("attendance.csv", (DATA / "attendance.csv").read_bytes(), RIYADH)

    assert result.ok, result.errors
    assert result.kind is FileKind.ATTENDANCE
    assert [(located.line, located.value) for located in result.attendance] == [
        (2, AttendanceRow("D1", "BIL-1", remove=False)),
        (3, AttendanceRow("D2", "BIL-1", remove=False)),
        (4, AttendanceRow("D3", "OPEN", remove=True)),
    ]


@pytest.mark.parametrize(
    ("cell", "remove"),
    [
        *[(cell, False) for cell in ("", "no", "NO", "false", "0")],
        *[(cell, True) for cell in ("yes", "Yes", "true", "1")],
    ],
)
def test_attendance_remove_values(cell: str, remove: bool) -> None:
    result = parse(f"delegate_id,session_id,remove\nD1,S1,{cell}\n", "attendance.csv")

    assert result.attendance[0].value.remove is remove


def test_attendance_without_remove_column() -> None:
    result = parse("Session_ID,Delegate_ID\nS1,D1\n", "attendance.csv")

    assert result.attendance[0].value == AttendanceRow("D1", "S1")


def test_attendance_bad_remove_and_duplicate_pair() -> None:
    result = parse(
        "delegate_id,session_id,remove\nD1,S1,\nD1,S2,maybe\nD1,S1,yes\n",
        "attendance.csv",
    )

    assert [str(issue) for issue in result.errors] == [
        'attendance.csv:3: remove "maybe" is not yes or no — write yes to take the session off '
        "the delegate's agenda, or leave it empty",
        'attendance.csv:4: delegate_id "D1" with session_id "S1" is already on line 2 — each '
        "pair may appear only once in a file",
    ]


def test_attendance_needs_both_ids() -> None:
    result = parse("delegate_id,session_id\n,S1\n", "attendance.csv")

    assert [issue.message for issue in result.errors] == [
        "delegate_id is empty — give the id of a delegate"
    ]


def test_attendance_unknown_column_suggestion() -> None:
    result = parse("delegate_id,session_id,remvoe\nD1,S1,yes\n", "attendance.csv")

    assert result.errors[0].message.startswith('unknown column "remvoe" (did you mean "remove"?)')


def test_heads_of_delegation() -> None:
    from bot.domain.models import Role

    result = parse("id,name,delegation,role\nD1,Ann,Xandria,head\nD2,Bo,Xandria,head\n", "d.csv")

    assert not result.errors
    assert [d.value.role for d in result.delegates] == [Role.HEAD, Role.HEAD]
