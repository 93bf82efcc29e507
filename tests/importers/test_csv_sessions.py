"""Sessions CSV: the field rules of SPEC §4, one test per kind of mistake."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import Audience, SessionKind, SessionStatus
from bot.importers import FileKind, ImportIssue, ParsedFile, parse_file

DATA = Path(__file__).parent.parent / "data"
BERLIN = ZoneInfo("Europe/Berlin")
HEADER = "id,title,start,end,room,kind,audience,status"


def parse(text: str, name: str = "sessions.csv") -> ParsedFile:
    return parse_file(name, text.encode(), BERLIN)


def one_error(text: str) -> ImportIssue:
    result = parse(text)
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_fixture_file_reads_every_field() -> None:
    result = parse_file("sessions.csv", (DATA / "sessions.csv").read_bytes(), BERLIN)

    assert result.ok, result.errors
    assert result.kind is FileKind.SESSIONS
    by_id = {located.value.id: located for located in result.sessions}
    assert [located.line for located in result.sessions] == [2, 5, 6, 7]
    opening = by_id["OPEN"].value
    assert opening.title == "Opening plenary"
    assert opening.start == datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
    assert opening.end == datetime(2026, 12, 1, 8, 0, tzinfo=UTC) + timedelta(hours=1)
    assert opening.start.tzinfo is UTC  # every time comes back in UTC
    assert opening.room == "Hall A"
    assert opening.track == "Main"
    assert opening.kind is SessionKind.PLENARY
    assert opening.audience is Audience.ALL
    assert opening.status is SessionStatus.SCHEDULED
    assert opening.description == "Welcome by the host nation.\r\nFlags at 08:45."
    assert opening.speakers == ("Minister Dupont", "General Smith")
    assert opening.titles == {"fr": "Séance d'ouverture", "ar": "الجلسة الافتتاحية"}
    assert opening.title_in("fr") == "Séance d'ouverture"
    bilateral = by_id["BIL-1"].value
    assert bilateral.kind is SessionKind.BILATERAL
    assert bilateral.audience is Audience.INVITED
    assert bilateral.start == datetime(2026, 12, 1, 11, 0, tzinfo=BERLIN)
    assert bilateral.titles == {}
    briefing = by_id["BRF-1"].value
    assert briefing.audience is Audience.ALL  # stated explicitly, overrides the default
    assert briefing.start == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    cancelled = by_id["CAN-1"].value
    assert cancelled.status is SessionStatus.CANCELLED
    assert cancelled.kind is SessionKind.PANEL
    assert cancelled.start == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "audience"),
    [
        ("bilateral", Audience.INVITED),
        ("briefing", Audience.INVITED),
        ("plenary", Audience.ALL),
        ("", Audience.ALL),
    ],
)
def test_default_audience_follows_kind(kind: str, audience: Audience) -> None:
    result = parse(f"{HEADER}\nS1,T,2026-12-01T09:00,2026-12-01T10:00,R,{kind},,\n")

    assert result.ok, result.errors
    assert result.sessions[0].value.audience is audience


def test_explicit_audience_overrides_default() -> None:
    result = parse(f"{HEADER}\nS1,T,2026-12-01T09:00,2026-12-01T10:00,R,bilateral,ALL,\n")

    assert result.sessions[0].value.audience is Audience.ALL


def test_bad_date_says_what_is_expected() -> None:
    issue = one_error(f"{HEADER}\nS1,T,01/12/2026 09:00,2026-12-01T10:00,R,,,\n")

    assert issue.line == 2
    assert '"01/12/2026 09:00"' in issue.message
    assert "2026-12-01T09:00" in issue.message


def test_impossible_date_is_an_error() -> None:
    issue = one_error(f"{HEADER}\nS1,T,2026-02-30T09:00,2026-12-01T10:00,R,,,\n")

    assert issue.message.startswith('start "2026-02-30T09:00" is not a real date')


def test_end_before_start() -> None:
    issue = one_error(f"{HEADER}\nS1,T,2026-12-01T10:00,2026-12-01T09:00,R,,,\n")

    assert str(issue) == (
        "sessions.csv:2: end (2026-12-01T09:00) is before start (2026-12-01T10:00) — a session "
        "must end after it starts"
    )


def test_end_equal_to_start() -> None:
    issue = one_error(f"{HEADER}\nS1,T,2026-12-01T10:00,2026-12-01T10:00,R,,,\n")

    assert "is the same as start" in issue.message


def test_end_compared_across_offsets() -> None:
    # 10:00+02:00 is 08:00 UTC, before a 09:00 Berlin (08:00 UTC) start? Equal: an error.
    issue = one_error(f"{HEADER}\nS1,T,2026-12-01T09:00,2026-12-01T10:00+02:00,R,,,\n")

    assert "same as start" in issue.message


def test_unknown_kind_suggests_and_lists() -> None:
    issue = one_error(f"{HEADER}\nS1,T,2026-12-01T09:00,2026-12-01T10:00,R,panell,,\n")

    assert issue.message == (
        'unknown kind "panell" (did you mean "panel"?) — use one of: plenary, panel, briefing, '
        "workshop, bilateral, signing, exhibition, social"
    )


def test_unknown_audience() -> None:
    issue = one_error(f"{HEADER}\nS1,T,2026-12-01T09:00,2026-12-01T10:00,R,,public,\n")

    assert issue.message.startswith('unknown audience "public"')
    assert "all, invited" in issue.message


def test_unknown_status() -> None:
    issue = one_error(f"{HEADER}\nS1,T,2026-12-01T09:00,2026-12-01T10:00,R,,,canceled\n")

    assert issue.message.startswith('unknown status "canceled" (did you mean "cancelled"?)')


def test_enum_values_are_case_insensitive() -> None:
    result = parse(
        f"{HEADER}\nS1,T,2026-12-01T09:00,2026-12-01T10:00,R,WorkShop,Invited,Cancelled\n"
    )

    session = result.sessions[0].value
    assert (session.kind, session.audience, session.status) == (
        SessionKind.WORKSHOP,
        Audience.INVITED,
        SessionStatus.CANCELLED,
    )


def test_duplicate_id_names_both_lines() -> None:
    result = parse(
        f"{HEADER}\n"
        "S1,A,2026-12-01T09:00,2026-12-01T10:00,R,,,\n"
        "S2,B,2026-12-01T09:00,2026-12-01T10:00,R,,,\n"
        "S1,C,2026-12-01T11:00,2026-12-01T12:00,R,,,\n"
    )

    assert [str(issue) for issue in result.errors] == [
        'sessions.csv:4: id "S1" is already used on line 2 — ids must be unique within a file'
    ]
    assert [located.value.title for located in result.sessions] == ["A", "B"]


def test_required_values_must_not_be_empty() -> None:
    result = parse(f"{HEADER}\n ,  ,2026-12-01T09:00,2026-12-01T10:00,,,,\n")

    messages = [issue.message for issue in result.errors]
    assert [message.split(" ", 1)[0] for message in messages] == ["id", "title", "room"]
    assert all(issue.line == 2 for issue in result.errors)


def test_overlong_id() -> None:
    issue = one_error(f"{HEADER}\n{'x' * 65},T,2026-12-01T09:00,2026-12-01T10:00,R,,,\n")

    assert "65 characters" in issue.message and "at most 64" in issue.message


def test_all_errors_of_all_rows_are_collected() -> None:
    result = parse(
        f"{HEADER}\n"
        "S1,T,tomorrow,2026-12-01T10:00,R,panell,,\n"
        "S2,T,2026-12-01T09:00,2026-12-01T08:00,R,,secret,\n"
    )

    assert [(issue.line, issue.message.split(" ", 2)[:2]) for issue in result.errors] == [
        (2, ["start", '"tomorrow"']),
        (2, ["unknown", "kind"]),
        (3, ["end", "(2026-12-01T08:00)"]),
        (3, ["unknown", "audience"]),
    ]


def test_time_forms() -> None:
    result = parse(
        "id,title,start,end,room\n"
        "A,T,2026-12-01T09:00:30,2026-12-01 10:00,R\n"
        "B,T,2026-12-01T09:00Z,2026-12-01T10:00-05:00,R\n"
    )

    assert result.ok, result.errors
    a, b = (located.value for located in result.sessions)
    assert a.start == datetime(2026, 12, 1, 9, 0, 30, tzinfo=BERLIN)
    assert b.start == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert b.end == datetime(2026, 12, 1, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert b.end.tzinfo is UTC


def test_dst_gap_is_an_error_naming_the_time() -> None:
    # Europe/Berlin skips 02:00-03:00 on 2026-03-29.
    issue = one_error("id,title,start,end,room\nS1,T,2026-03-29T02:30,2026-03-29T04:00,R\n")

    assert issue.message.startswith("start 2026-03-29T02:30 does not exist in Europe/Berlin")
    assert "daylight saving" in issue.message


def test_dst_ambiguous_time_takes_first_occurrence() -> None:
    # Europe/Berlin passes 02:00-03:00 twice on 2026-10-25: first in CEST (+02:00).
    result = parse("id,title,start,end,room\nS1,T,2026-10-25T02:30,2026-10-25T04:00,R\n")

    session = result.sessions[0].value
    assert session.start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30+02:00
    assert session.end - session.start == timedelta(hours=2, minutes=30)


def test_speakers_are_trimmed_and_empties_dropped() -> None:
    result = parse(
        'id,title,start,end,room,speakers\nS1,T,2026-12-01T09:00,2026-12-01T10:00,R," A ;;B; "\n'
    )

    assert result.sessions[0].value.speakers == ("A", "B")


def test_translated_titles_normalise_language_and_skip_empty_cells() -> None:
    result = parse(
        "id,title,start,end,room,Title:PT-br,title:ES,title:uz\n"
        "S1,T,2026-12-01T09:00,2026-12-01T10:00,R,Abertura,,Ochilish\n"
    )

    assert result.ok, result.errors
    assert result.sessions[0].value.titles == {"pt": "Abertura", "uz": "Ochilish"}


def test_translated_title_with_bad_language_is_a_header_error() -> None:
    result = parse(
        "id,title,start,end,room,title:english\nS1,T,2026-12-01T09:00,2026-12-01T10:00,R,x\n"
    )

    assert [str(issue) for issue in result.errors] == [
        'sessions.csv:1: column "title:english": unknown language "english" — use a language '
        "code such as en, fr, ar or pt-BR"
    ]


def test_two_columns_for_one_language() -> None:
    result = parse("id,title,start,end,room,title:pt-BR,title:pt-PT\n")

    assert len(result.errors) == 1
    assert 'column "title:pt" appears twice (columns 6 and 7)' in result.errors[0].message
