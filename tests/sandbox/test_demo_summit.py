"""The demo summit must load cleanly and show what the demo is meant to show."""

from __future__ import annotations

import csv
import importlib
import io
import itertools
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import SessionKind
from bot.sandbox.demo_summit import DemoSummit, build_demo_summit
from bot.sandbox.demo_venue import ROOMS

FIRST_DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def demo() -> DemoSummit:
    return build_demo_summit(FIRST_DAY)


def rows(demo: DemoSummit, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(demo.files[name].decode("utf-8"))))


def header(demo: DemoSummit, name: str) -> list[str]:
    return next(csv.reader(io.StringIO(demo.files[name].decode("utf-8"))))


def test_files_have_the_spec_headers(demo: DemoSummit) -> None:
    assert set(demo.files) == {"sessions.csv", "delegates.csv", "attendance.csv"}
    assert {"id", "title", "start", "end", "room"} <= set(header(demo, "sessions.csv"))
    assert {"id", "name", "delegation"} <= set(header(demo, "delegates.csv"))
    assert header(demo, "attendance.csv") == ["delegate_id", "session_id"]
    for data in demo.files.values():
        assert not data.startswith(b"\xef\xbb\xbf")
        data.decode("utf-8")


def test_session_values_follow_the_spec(demo: DemoSummit) -> None:
    sessions = rows(demo, "sessions.csv")
    assert 35 <= len(sessions) <= 45
    assert len({s["id"] for s in sessions}) == len(sessions)
    kinds = {k.value for k in SessionKind}
    for s in sessions:
        assert s["kind"] in kinds
        assert s["status"] in ("scheduled", "cancelled")
        start = datetime.fromisoformat(s["start"])
        end = datetime.fromisoformat(s["end"])
        assert start.tzinfo is None and start < end
        assert FIRST_DAY <= start.date() < FIRST_DAY + timedelta(days=demo.days)
        expected = "invited" if s["kind"] in ("bilateral", "briefing") else "all"
        assert s["audience"] == expected
    assert sum(s["status"] == "cancelled" for s in sessions) == 1
    assert {s["kind"] for s in sessions} == kinds
    assert 7 <= len({s["room"] for s in sessions}) <= 10
    # Titles with commas and quotes survive the round trip through the csv module.
    assert any("," in s["title"] for s in sessions)
    assert any('"' in s["title"] for s in sessions)


def test_every_day_has_plenaries(demo: DemoSummit) -> None:
    days = {
        datetime.fromisoformat(s["start"]).date()
        for s in rows(demo, "sessions.csv")
        if s["kind"] == "plenary"
    }
    assert days == {FIRST_DAY + timedelta(days=i) for i in range(demo.days)}


def test_translations_present(demo: DemoSummit) -> None:
    sessions = rows(demo, "sessions.csv")
    arabic = [s["title:ar"] for s in sessions if s["title:ar"]]
    french = [s["title:fr"] for s in sessions if s["title:fr"]]
    assert len(arabic) >= 10 and len(french) >= 10
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in title) for title in arabic)
    assert "Dîner de gala" in french


def test_attendance_names_existing_ids(demo: DemoSummit) -> None:
    sessions = {s["id"] for s in rows(demo, "sessions.csv")}
    delegates = {d["id"] for d in rows(demo, "delegates.csv")}
    attendance = rows(demo, "attendance.csv")
    assert attendance
    for row in attendance:
        assert row["delegate_id"] in delegates
        assert row["session_id"] in sessions
    assert len({(r["delegate_id"], r["session_id"]) for r in attendance}) == len(attendance)


def test_delegates(demo: DemoSummit) -> None:
    delegates = rows(demo, "delegates.csv")
    assert 38 <= len(delegates) <= 46
    assert len({d["delegation"] for d in delegates if d["role"] == "delegate"}) == 10
    assert {d["language"] for d in delegates} == {"en", "ar", "fr", "tr", "fa", "ur", "id", "ru"}
    assert {d["role"] for d in delegates} == {"delegate", "head", "organizer"}
    # Every delegation has one head, who can request bilateral meetings in the demo.
    heads = [d["delegation"] for d in delegates if d["role"] == "head"]
    assert sorted(heads) == sorted({d["delegation"] for d in delegates if d["role"] == "delegate"})


def test_bilateral_room_pool_includes_the_suites_of_the_programme(demo: DemoSummit) -> None:
    pool = {room.name for room in ROOMS if room.kind == "bilateral"}
    used = {s["room"] for s in rows(demo, "sessions.csv") if s["kind"] == "bilateral"}
    assert used <= pool


def test_personas_match_the_delegates_file(demo: DemoSummit) -> None:
    delegates = {d["id"]: d for d in rows(demo, "delegates.csv")}
    default, other, organizer = demo.personas[:3]
    assert demo.default_persona is default
    for persona in demo.personas:
        row = delegates[persona.delegate_id]
        assert (row["name"], row["delegation"], row["language"]) == (
            persona.name,
            persona.delegation,
            persona.language,
        )
        assert (row["role"] == "organizer") is persona.organizer
    assert not default.organizer and not other.organizer and organizer.organizer
    assert default.delegation != other.delegation
    assert len({p.telegram_user_id for p in demo.personas}) == len(demo.personas)


def agenda(demo: DemoSummit, delegate_id: str) -> list[dict[str, str]]:
    sessions = {s["id"]: s for s in rows(demo, "sessions.csv")}
    return [
        sessions[r["session_id"]]
        for r in rows(demo, "attendance.csv")
        if r["delegate_id"] == delegate_id
    ]


def test_default_persona_has_own_sessions_every_day_including_a_bilateral(
    demo: DemoSummit,
) -> None:
    by_day: dict[date, list[dict[str, str]]] = defaultdict(list)
    for s in agenda(demo, demo.default_persona.delegate_id):
        by_day[datetime.fromisoformat(s["start"]).date()].append(s)
    assert len(by_day) == demo.days
    for sessions in by_day.values():
        assert len(sessions) >= 3
        assert any(s["kind"] == "bilateral" for s in sessions)


def test_other_persona_has_a_bilateral_hidden_from_the_default_persona(demo: DemoSummit) -> None:
    default, other = demo.personas[:2]
    delegations = {d["id"]: d["delegation"] for d in rows(demo, "delegates.csv")}
    mine = {s["id"] for s in agenda(demo, default.delegate_id)}
    hidden = [
        s["id"]
        for s in agenda(demo, other.delegate_id)
        if s["kind"] == "bilateral" and s["id"] not in mine
    ]
    assert hidden
    for sid in hidden:
        attendees = {
            r["delegate_id"] for r in rows(demo, "attendance.csv") if r["session_id"] == sid
        }
        assert default.delegate_id not in attendees
        assert default.delegation not in {delegations[a] for a in attendees}


def test_bilaterals_are_attended_by_exactly_two_delegations(demo: DemoSummit) -> None:
    delegations = {d["id"]: d["delegation"] for d in rows(demo, "delegates.csv")}
    attendance = rows(demo, "attendance.csv")
    for s in rows(demo, "sessions.csv"):
        if s["kind"] != "bilateral":
            continue
        present = {delegations[r["delegate_id"]] for r in attendance if r["session_id"] == s["id"]}
        assert len(present) == 2
        assert all(name in s["title"] for name in present)


def test_nobody_is_double_booked(demo: DemoSummit) -> None:
    for d in rows(demo, "delegates.csv"):
        sessions = sorted(agenda(demo, d["id"]), key=lambda s: s["start"])
        for earlier, later in itertools.pairwise(sessions):
            assert earlier["end"] <= later["start"], (d["id"], earlier["id"], later["id"])


def test_deterministic_and_relative_to_the_first_day() -> None:
    assert build_demo_summit(FIRST_DAY) == build_demo_summit(FIRST_DAY)
    later = build_demo_summit(FIRST_DAY + timedelta(days=40))
    assert later.files["attendance.csv"] == build_demo_summit(FIRST_DAY).files["attendance.csv"]
    assert b"2027-01-10T09:00" in later.files["sessions.csv"]
    named = build_demo_summit(FIRST_DAY, name="Gulf Security Forum")
    assert b"Gulf Security Forum" in named.files["sessions.csv"]


def test_files_parse_with_the_real_importer(demo: DemoSummit) -> None:
    try:
        importers = importlib.import_module("bot.importers")
    except ImportError:
        pytest.skip("bot.importers not available")
    parse_file = getattr(importers, "parse_file", None)
    if parse_file is None:
        pytest.skip("bot.importers.parse_file not written yet")
    for name, data in demo.files.items():
        parsed = parse_file(name, data, ZoneInfo("Asia/Riyadh"))
        assert list(parsed.errors) == [], name
