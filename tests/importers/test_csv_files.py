"""CSV files as spreadsheets write them: encodings, line ends, quoting, headers, limits."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.importers import MAX_FILE_BYTES, MAX_ROWS, FileKind, ParsedFile, parse_file

BERLIN = ZoneInfo("Europe/Berlin")
ROW = "S1,Opening,2026-12-01T09:00,2026-12-01T10:00,Hall"
HEADER = "id,title,start,end,room"


def parse(data: bytes, name: str = "sessions.csv") -> ParsedFile:
    return parse_file(name, data, BERLIN)


def messages(result: ParsedFile) -> list[str]:
    return [str(issue) for issue in result.errors]


def test_bom_is_not_part_of_the_first_column() -> None:
    result = parse(f"\ufeff{HEADER}\n{ROW}\n".encode())

    assert result.ok, result.errors
    assert result.sessions[0].value.id == "S1"


def test_crlf_line_ends() -> None:
    result = parse(f"{HEADER}\r\n{ROW}\r\nS2,T,2026-12-01T09:00,2026-12-01T08:00,Hall\r\n".encode())

    assert [located.line for located in result.sessions] == [2]
    assert [issue.line for issue in result.errors] == [3]
    assert result.sessions[0].value.room == "Hall"


def test_quoted_newlines_keep_physical_line_numbers() -> None:
    data = (
        b"id,title,start,end,room,description\n"
        b'S1,T,2026-12-01T09:00,2026-12-01T10:00,R,"line one\n'
        b"line two\r\n"
        b'line three"\n'
        b"\n"
        b"S2,T,2026-12-01T09:00,2026-12-01T08:00,R,\n"
        b'S3,"two\nlines",2026-12-01T09:00,2026-12-01T10:00,R,\n'
        b"S4,T,bad,2026-12-01T10:00,R,\n"
    )

    result = parse(data)

    assert [(located.line, located.value.id) for located in result.sessions] == [
        (2, "S1"),
        (7, "S3"),
    ]
    assert result.sessions[0].value.description == "line one\nline two\r\nline three"
    assert [issue.line for issue in result.errors] == [6, 9]


def test_values_and_header_names_are_trimmed_and_case_insensitive() -> None:
    result = parse(
        b" ID , Title ,START,End,  Room \n"
        b"  S1 ,  Opening , 2026-12-01T09:00 ,2026-12-01T10:00,  Hall  \n"
    )

    assert result.ok, result.errors
    session = result.sessions[0].value
    assert (session.id, session.title, session.room) == ("S1", "Opening", "Hall")


def test_space_before_a_quoted_value() -> None:
    result = parse(f'{HEADER},speakers\n{ROW}, "Smith, J.; Doe, A."\n'.encode())

    assert result.ok, result.errors
    assert result.sessions[0].value.speakers == ("Smith, J.", "Doe, A.")


def test_blank_and_empty_rows_are_skipped() -> None:
    result = parse(f"\n\n{HEADER}\n\n,,,,\n{ROW}\n   \n".encode())

    assert result.ok, result.errors
    assert [located.line for located in result.sessions] == [6]


def test_semicolon_separated_header() -> None:
    result = parse(
        b'id;title;start;end;room;speakers\nS1;T;2026-12-01T09:00;2026-12-01T10:00;R;"A; B"\n'
    )

    assert result.ok, result.errors
    assert result.sessions[0].value.speakers == ("A", "B")


def test_wrong_encoding_names_line_and_byte() -> None:
    data = f"{HEADER}\n{ROW}\n".encode() + "S2,Séance,2026-12-01T09:00,2026-12-01T10:00,R\n".encode(
        "cp1252"
    )

    result = parse(data)

    assert messages(result) == [
        'sessions.csv:3: byte 0xE9 at column 5 is not UTF-8 — save the file as UTF-8 (Excel: "CSV '
        'UTF-8"; LibreOffice: character set "Unicode (UTF-8)")'
    ]
    assert result.kind is None
    assert result.sessions == []


def test_utf16_is_refused_not_guessed() -> None:
    result = parse(f"{HEADER}\n{ROW}\n".encode("utf-16"))

    assert len(result.errors) == 1
    assert "UTF-16" in result.errors[0].message


def test_utf16_without_bom_is_refused() -> None:
    result = parse(f"{HEADER}\n{ROW}\n".encode("utf-16-le"))

    assert len(result.errors) == 1
    assert "NUL" in result.errors[0].message


def test_spreadsheet_file_is_refused_with_advice() -> None:
    result = parse(b"PK\x03\x04\x14\x00\x06\x00" + bytes(100), name="sessions.xlsx")

    assert messages(result) == [
        "sessions.xlsx:1: this is a spreadsheet (Excel/LibreOffice) file, not CSV — save it as "
        'CSV UTF-8 (Excel: "CSV UTF-8"; LibreOffice: Text CSV, "Unicode (UTF-8)")'
    ]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\n\t"])
def test_empty_file(data: bytes) -> None:
    result = parse(data)

    assert messages(result) == [
        "sessions.csv: the file is empty — expected a CSV file with a header line, or a schedule"
    ]


def test_header_without_rows() -> None:
    result = parse(f"{HEADER}\n".encode())

    assert messages(result) == ["sessions.csv:1: the file has a header line but no rows below it"]
    assert result.kind is FileKind.SESSIONS


def test_missing_columns_are_named_and_rows_not_read() -> None:
    result = parse(b"id,title,room\nS1,T,R\n")

    assert messages(result) == [
        'sessions.csv:1: missing columns "start", "end" — sessions files need the columns id, '
        "title, start, end, room"
    ]


def test_unknown_column_suggests_the_closest() -> None:
    result = parse(f"{HEADER},trak\n{ROW},Main\n".encode())

    assert messages(result) == [
        'sessions.csv:1: unknown column "trak" (did you mean "track"?) — sessions files take the '
        "columns id, title, start, end, room, track, kind, audience, status, description, "
        "speakers, title:<lang>"
    ]


def test_typo_in_required_column_is_reported_both_ways() -> None:
    result = parse(b"id,title,start,end,rom\nS1,T,2026-12-01T09:00,2026-12-01T10:00,Hall\n")

    assert [issue.message.split(" —")[0] for issue in result.errors] == [
        'unknown column "rom" (did you mean "room"?)',
        'missing column "room"',
    ]


def test_typos_still_tell_the_kind() -> None:
    result = parse(b"id,titel,strat,end,room\n")

    assert result.kind is FileKind.SESSIONS
    assert [issue.message.split(" —")[0] for issue in result.errors] == [
        'unknown column "titel" (did you mean "title"?)',
        'unknown column "strat" (did you mean "start"?)',
        'missing columns "title", "start"',
    ]


def test_duplicate_column() -> None:
    result = parse(f"{HEADER},Room\n".encode())

    assert messages(result)[0].startswith(
        'sessions.csv:1: column "room" appears twice (columns 5 and 6)'
    )


def test_header_of_no_kind_lists_what_each_kind_needs() -> None:
    result = parse(b"name,email\nA,a@example.org\n", name="people.csv")

    assert result.kind is None
    assert messages(result) == [
        'people.csv:1: the header "name,email" does not say what the file holds — sessions files '
        "need id, title, start, end, room; delegates files need id, name, delegation; attendance "
        "files need delegate_id, session_id; rooms files need room, building, floor, capacity "
        "(schedules are accepted as Frab XML or schedule JSON)"
    ]


def test_too_many_values_in_a_row() -> None:
    result = parse(
        f"{HEADER}\nS1,Opening, with comma,2026-12-01T09:00,2026-12-01T10:00,Hall\n".encode()
    )

    assert any("has 6 values but the header has 5 columns" in m for m in messages(result))


def test_trailing_empty_cells_and_unnamed_columns_are_tolerated() -> None:
    result = parse(f"{HEADER},,\n{ROW},,\n{ROW.replace('S1', 'S2')},,,,\n".encode())

    assert result.ok, result.errors
    assert len(result.sessions) == 2


def test_value_in_unnamed_column_is_an_error() -> None:
    result = parse(f"{HEADER},\n{ROW},stray\n".encode())

    assert messages(result) == [
        'sessions.csv:2: value "stray" is in column 6, which has no name in the header — name the '
        "column or empty it"
    ]


def test_broken_quoting_is_reported_at_its_row() -> None:
    result = parse(
        f'{HEADER}\n{ROW}\nS2,"Open"ing,2026-12-01T09:00,2026-12-01T10:00,Hall\n'.encode()
    )

    assert [issue.line for issue in result.errors] == [3]
    assert "double quotes" in result.errors[0].message
    assert len(result.sessions) == 1


def test_unclosed_quote() -> None:
    result = parse(
        f'{HEADER}\n{ROW}\nS2,"Opening,2026-12-01T09:00,2026-12-01T10:00,Hall\n'.encode()
    )

    assert [issue.line for issue in result.errors] == [3]


def test_file_over_the_size_limit_is_refused_unread() -> None:
    data = f"{HEADER}\n".encode() + b"x" * MAX_FILE_BYTES

    result = parse(data)

    assert len(result.errors) == 1
    assert "10 MB limit" in result.errors[0].message
    assert "split" in result.errors[0].message


def test_file_over_the_row_limit_is_refused_with_one_error() -> None:
    rows = "".join(f"S{i},T,bad,2026-12-01T10:00,R\n" for i in range(MAX_ROWS + 1))

    result = parse(f"{HEADER}\n{rows}".encode())

    assert messages(result) == [
        "sessions.csv: the file has more than 50,000 rows — split it into files of at most "
        "50,000 rows, each starting with the same header line, and import them one after another"
    ]


def test_exactly_the_row_limit_is_accepted() -> None:
    rows = "".join(f"D{i},Name,Delegation\n" for i in range(MAX_ROWS))

    result = parse(f"id,name,delegation\n{rows}".encode(), name="delegates.csv")

    assert result.ok
    assert len(result.delegates) == MAX_ROWS
