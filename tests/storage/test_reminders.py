"""Who is due a reminder or a digest, and the ledgers that make each go exactly once."""

import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.imports import SourceFile, import_files
from bot.storage import reminders
from bot.storage.database import Database
from bot.storage.outbox import OutboxStore
from bot.storage.people import PeopleStore
from bot.storage.programme import to_timestamp
from tests.support.stores import imported, register
from tests.support.summit_files import to_csv

VENUE = ZoneInfo("Asia/Riyadh")
LEAD = 15  # minutes, for delegates who chose none


def t(hhmm: str, day: int = 10) -> int:
    """Epoch seconds of a venue time in June 2030."""
    hours, minutes = map(int, hhmm.split(":"))
    return to_timestamp(datetime(2030, 6, day, hours, minutes, tzinfo=VENUE))


NOW, HORIZON = t("08:00"), t("11:00")

SESSIONS = [
    ["id", "title", "start", "end", "room", "kind", "audience", "status"],
    ["night", "Night", "2030-06-09T23:30", "2030-06-10T00:30", "Room A", "panel", "", ""],
    ["starting", "Starting", "2030-06-10T08:00", "2030-06-10T08:30", "Room B", "panel", "", ""],
    ["open", "Opening", "2030-06-10T09:00", "2030-06-10T10:00", "Hall", "plenary", "", ""],
    ["gone", "Gone", "2030-06-10T09:00", "2030-06-10T10:00", "Room C", "panel", "", "cancelled"],
    ["cyber", "Cyber", "2030-06-10T09:30", "2030-06-10T10:30", "Room A", "panel", "", ""],
    ["council", "Council", "2030-06-10T10:00", "2030-06-10T11:00", "Hall B", "plenary",
     "invited", ""],
    ["edge", "Edge", "2030-06-10T11:00", "2030-06-10T12:00", "Room B", "panel", "", ""],
    ["late", "Late", "2030-06-10T14:00", "2030-06-10T15:00", "Room B", "panel", "", ""],
    ["after", "After", "2030-06-11T09:00", "2030-06-11T10:00", "Room B", "panel", "", ""],
]  # fmt: skip
# a: default lead; b: 5 minutes; c: reminders off; d: never registered; e: blocked the
# bot; f: default lead, attends nothing (only the open plenary is hers).
DELEGATES = [["id", "name", "delegation"]] + [[x, x.upper(), "Xandria"] for x in "abcdef"]
ATTENDANCE = [["delegate_id", "session_id"]] + [
    [delegate, session]
    for delegate, sessions in {
        "a": ["night", "starting", "open", "gone", "cyber", "edge", "late", "after"],
        "b": ["cyber", "council"],
        "c": ["cyber"],
        "d": ["cyber", "council"],
        "e": ["cyber"],
    }.items()
    for session in sessions
]


async def summit(tmp_path) -> Database:
    files = {"sessions.csv": SESSIONS, "delegates.csv": DELEGATES, "attendance.csv": ATTENDANCE}
    database = await imported(
        tmp_path / "summit.db", {name: to_csv(rows) for name, rows in files.items()}, VENUE
    )
    accounts = [(101, "a"), (102, "b"), (103, "c"), (105, "e"), (106, "f")]
    await register(database, [(u, d, None) for u, d in accounts], datetime(2030, 6, 1, tzinfo=UTC))
    people = PeopleStore(database)
    await people.set_reminder_lead(102, 5)
    await people.set_reminder_lead(103, 0)
    await OutboxStore(database).mark_unreachable(105, "Forbidden: bot was blocked by the user")
    await people.set_language(999, "fr")  # an account that never registered
    return database


def pairs(due: list[reminders.DueReminder]) -> list[tuple[str, str, int, int]]:
    return [(r.person.delegate_id, r.session_id, r.starts_at, r.due) for r in due]


EVERYTHING_DUE = [
    ("a", "open", t("09:00"), t("08:45")),
    ("f", "open", t("09:00"), t("08:45")),
    ("b", "open", t("09:00"), t("08:55")),
    ("a", "cyber", t("09:30"), t("09:15")),
    ("b", "cyber", t("09:30"), t("09:25")),
    ("b", "council", t("10:00"), t("09:55")),
    ("a", "edge", t("11:00"), t("10:45")),
]


async def test_due_reminders_in_the_window_by_due_time_and_session(tmp_path):
    database = await summit(tmp_path)
    try:
        due = await reminders.due_by(database, HORIZON, NOW, HORIZON, LEAD)
        # Not: a session starting right now or after the horizon, a cancelled one, c (lead
        # 0), d (unregistered), e (unreachable). The open plenary is everyone's, once, even
        # for a who also attends it; the invited one only its attendees'.
        got = sorted(pairs(due), key=lambda p: (p[3], p[1], p[0]))
        assert got == sorted(EVERYTHING_DUE, key=lambda p: (p[3], p[1], p[0]))
        assert [(r.due, r.session_id) for r in due] == sorted((p[3], p[1]) for p in got)
        assert {r.person.user_id for r in due} == {101, 102, 106}
    finally:
        await database.close()


async def test_due_counts_group_the_same_reminders_by_instant(tmp_path):
    database = await summit(tmp_path)
    try:
        counts = await reminders.due_counts(database, NOW, HORIZON, LEAD)
        assert sorted(counts) == [
            (t("08:45"), 2),
            (t("08:55"), 1),
            (t("09:15"), 1),
            (t("09:25"), 1),
            (t("09:55"), 1),
            (t("10:45"), 1),
        ]
        # Another default lead moves only those who chose none.
        counts = await reminders.due_counts(database, NOW, HORIZON, 30)
        assert sorted(counts) == [
            (t("08:30"), 2),
            (t("08:55"), 1),
            (t("09:00"), 1),
            (t("09:25"), 1),
            (t("09:55"), 1),
            (t("10:30"), 1),
        ]
    finally:
        await database.close()


async def test_due_by_stops_at_the_target(tmp_path):
    database = await summit(tmp_path)
    try:
        due = await reminders.due_by(database, t("09:15"), NOW, HORIZON, LEAD)
        assert [(r.person.delegate_id, r.session_id) for r in due] == [
            ("a", "open"),
            ("f", "open"),
            ("b", "open"),
            ("a", "cyber"),
        ]
        assert await reminders.due_by(database, t("08:44"), NOW, HORIZON, LEAD) == []
    finally:
        await database.close()


async def test_the_ledger_makes_a_reminder_go_once_until_the_session_moves(tmp_path):
    database = await summit(tmp_path)
    try:
        first = await reminders.due_by(database, t("09:15"), NOW, HORIZON, LEAD)
        async with database.transaction() as tx:
            await reminders.record_reminders(tx, first, t("08:45"))
        rest = await reminders.due_by(database, HORIZON, NOW, HORIZON, LEAD)
        assert pairs(rest) == [
            ("b", "cyber", t("09:30"), t("09:25")),
            ("b", "council", t("10:00"), t("09:55")),
            ("a", "edge", t("11:00"), t("10:45")),
        ]
        assert sorted(await reminders.due_counts(database, NOW, HORIZON, LEAD)) == [
            (t("09:25"), 1),
            (t("09:55"), 1),
            (t("10:45"), 1),
        ]
        # The same reminder cannot be recorded twice (the ledger's key refuses it).
        with pytest.raises(sqlite3.IntegrityError):
            async with database.transaction() as tx:
                await reminders.record_reminders(tx, first[:1], t("08:46"))
        # Cyber moves to 10:15: a, already reminded of 09:30, is reminded of the new start.
        moved = [row if row[0] != "cyber" else [*row[:2], "2030-06-10T10:15",
                 "2030-06-10T11:15", *row[4:]] for row in SESSIONS]  # fmt: skip
        report = await import_files(database, [SourceFile("sessions.csv", to_csv(moved))], VENUE)
        assert report.ok, report.errors
        again = await reminders.due_by(database, HORIZON, NOW, HORIZON, LEAD)
        assert pairs(again) == [
            ("b", "council", t("10:00"), t("09:55")),
            ("a", "cyber", t("10:15"), t("10:00")),
            ("b", "cyber", t("10:15"), t("10:10")),
            ("a", "edge", t("11:00"), t("10:45")),
        ]
    finally:
        await database.close()


async def test_digest_pairs_are_the_days_agenda_items_of_those_without_that_days_digest(
    tmp_path,
):
    database = await summit(tmp_path)
    try:
        day = (t("00:00"), t("00:00", day=11), "2030-06-10")
        got = sorted(
            (r.delegate_id, session) for r, session in await reminders.digest_pairs(database, *day)
        )
        # Every running session of the day, the one across midnight too; not the cancelled
        # one nor tomorrow's; c's reminders are off but a digest is not a reminder.
        assert got == [
            ("a", "cyber"),
            ("a", "edge"),
            ("a", "late"),
            ("a", "night"),
            ("a", "open"),
            ("a", "starting"),
            ("b", "council"),
            ("b", "cyber"),
            ("b", "open"),
            ("c", "cyber"),
            ("c", "open"),
            ("f", "open"),
        ]
        async with database.transaction() as tx:
            await reminders.record_digests(tx, ["a", "b"], "2030-06-10", t("07:00"))
        rest = await reminders.digest_pairs(database, *day)
        assert sorted((r.delegate_id, s) for r, s in rest) == [
            ("c", "cyber"),
            ("c", "open"),
            ("f", "open"),
        ]
        # The digest of the 10th says nothing about the 9th: the night session is there too.
        previous = await reminders.digest_pairs(
            database, t("00:00", day=9), t("00:00"), "2030-06-09"
        )
        assert [(r.delegate_id, s) for r, s in previous] == [("a", "night")]
    finally:
        await database.close()
