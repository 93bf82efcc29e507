"""Reminder and digest rules against a real database, at explicit instants (no sleeping)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalogs
from bot.services.imports import SourceFile, import_files
from bot.services.reminders import Digests, Reminders
from bot.storage.database import Database
from tests.support.summit_files import to_csv

BERLIN = ZoneInfo("Europe/Berlin")


async def summit(tmp_path, sessions, attendance, zone=BERLIN, delegates=("ann", "bob", "cid")):
    database = await Database.open(tmp_path / "summit.db")
    files = {
        "sessions.csv": to_csv(
            [["id", "title", "start", "end", "room", "kind", "audience", "status"], *sessions]
        ),
        "delegates.csv": to_csv(
            [["id", "name", "delegation"], *[[d, d.title(), "X"] for d in delegates]]
        ),
        "attendance.csv": to_csv([["delegate_id", "session_id"], *attendance]),
    }
    report = await import_files(database, [SourceFile(n, d) for n, d in files.items()], zone)
    assert report.ok, report.errors
    async with database.transaction() as tx:
        await tx.executemany(
            "INSERT INTO telegram_user (user_id, delegate_id) VALUES (?, ?)",
            [(i + 1, d) for i, d in enumerate(delegates)],
        )
    return database


def local(text, zone=BERLIN):
    return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)


async def queued(database):
    rows = await database.fetchall("SELECT chat_id, kind, text FROM outbox ORDER BY id")
    return [(row[0], row[1], row[2]) for row in rows]


@pytest.fixture
async def db(tmp_path):
    database = await summit(
        tmp_path,
        [
            [
                "panel",
                "Cyber panel",
                "2030-06-10T10:00",
                "2030-06-10T11:00",
                "Room A",
                "panel",
                "",
                "",
            ],
            [
                "plenary",
                "Opening",
                "2030-06-10T09:00",
                "2030-06-10T09:45",
                "Hall",
                "plenary",
                "",
                "",
            ],
            [
                "bilat",
                "X – Y",
                "2030-06-10T12:00",
                "2030-06-10T12:30",
                "Salon 1",
                "bilateral",
                "",
                "",
            ],
            [
                "off",
                "Cancelled",
                "2030-06-10T13:00",
                "2030-06-10T14:00",
                "Room B",
                "panel",
                "",
                "cancelled",
            ],
        ],
        [["ann", "panel"], ["ann", "bilat"], ["bob", "panel"], ["ann", "off"]],
    )
    yield database
    await database.close()


def reminders(database, lead=15, discreet=True):
    return Reminders(database, Catalogs.load(BERLIN), lead, discreet)


async def test_due_at_lead_time_and_exactly_once(db):
    service = reminders(db)
    before = local("2030-06-10T08:45")
    assert await service.send_due(before, before) == 3  # the 09:00 plenary, for all three
    assert await service.send_due(before, before) == 0
    at = local("2030-06-10T09:45")
    assert await service.send_due(at, at) == 2  # ann and bob: the panel at 10:00
    assert await service.send_due(at, at) == 0
    texts = [text for _, _, text in await queued(db)]
    assert sum("Cyber panel" in t for t in texts) == 2


async def test_a_missed_reminder_is_sent_late_but_never_after_the_start(db):
    service = reminders(db)
    late = local("2030-06-10T09:58")
    assert await service.send_due(late, late) == 2  # panel: late, still useful
    after_start = local("2030-06-10T12:01")
    assert await service.send_due(after_start, after_start) == 0  # bilateral began at 12:00


async def test_cancelled_sessions_get_no_reminder(db):
    service = reminders(db)
    moment = local("2030-06-10T12:50")
    await service.send_due(moment, moment)
    assert all("Cancelled" not in text for _, _, text in await queued(db))


async def test_private_sessions_are_discreet_unless_turned_off(db):
    moment = local("2030-06-10T11:50")
    await reminders(db).send_due(moment, moment)
    [(_, _, text)] = [row for row in await queued(db) if "Salon 1" in row[2]]
    assert "X – Y" not in text and "private meeting" in text


async def test_discretion_can_be_turned_off(db):
    moment = local("2030-06-10T11:50")
    await reminders(db, discreet=False).send_due(moment, moment)
    assert any("X – Y" in text for _, _, text in await queued(db))


async def test_own_lead_and_off(db):
    async with db.transaction() as tx:
        await tx.execute("UPDATE telegram_user SET reminder_lead = 60 WHERE delegate_id = 'ann'")
        await tx.execute("UPDATE telegram_user SET reminder_lead = 0 WHERE delegate_id = 'bob'")
    service = reminders(db)
    groups = await service.due_groups(local("2030-06-10T07:00"))
    counts = {g.due.astimezone(BERLIN).strftime("%H:%M"): g.count for g in groups}
    # ann (60 min): plenary 08:00, panel 09:00, bilateral 11:00; cid (15): plenary; bob off.
    assert counts == {"08:00": 1, "08:45": 1, "09:00": 1, "11:00": 1}
    moment = local("2030-06-10T09:00:01")
    assert await service.send_due(moment, moment) == 1  # ann's panel, 60 minutes ahead


async def test_a_moved_session_is_reminded_of_its_new_time(db, tmp_path):
    service = reminders(db)
    moment = local("2030-06-10T09:46")
    await service.send_due(moment, moment)
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE session SET starts_at = starts_at + 7200, ends_at = ends_at + 7200"
            " WHERE id = 'panel'"
        )
    later = local("2030-06-10T11:46")
    await service.send_due(later, later)
    texts = [text for _, _, text in await queued(db)]
    assert sum("Cyber panel" in t for t in texts) == 4  # ann and bob, for 10:00 and for 12:00


async def test_dst_spring_forward(tmp_path):
    # Berlin skips 02:00-03:00 on 2030-03-31: a 03:30 session with a 60-minute lead is
    # due at 01:30 local time, 60 real minutes earlier.
    database = await summit(
        tmp_path,
        [["night", "Night shift", "2030-03-31T03:30", "2030-03-31T04:00", "Ops", "panel", "", ""]],
        [["ann", "night"]],
    )
    try:
        async with database.transaction() as tx:
            await tx.execute("UPDATE telegram_user SET reminder_lead = 60")
        service = reminders(database)
        [group] = await service.due_groups(local("2030-03-30T12:00"))
        assert group.due == local("2030-03-31T01:30")
        assert group.due == datetime(2030, 3, 31, 0, 30, tzinfo=UTC)
    finally:
        await database.close()


async def test_digest_only_for_delegates_with_something_that_day(db):
    digests = Digests(db, Catalogs.load(BERLIN), BERLIN, discreet=True)
    assert await digests.send_for_day(date(2030, 6, 10)) == 3  # the plenary is everyone's
    assert await digests.send_for_day(date(2030, 6, 10)) == 0  # once
    assert await digests.send_for_day(date(2030, 6, 11)) == 0  # nothing that day
    texts = {chat: text for chat, kind, text in await queued(db) if kind == "digest"}
    assert "Cyber panel" in texts[1] and "Cyber panel" not in texts[3]
    assert "X – Y" not in texts[1] and "private meeting" in texts[1]
    assert "Cancelled" not in texts[1]


async def test_replanning_counts_twenty_thousand_pairs_quickly(tmp_path):
    delegates = [f"d{i}" for i in range(2000)]
    sessions = [
        [
            f"s{i}",
            f"S{i}",
            f"2030-06-1{i % 3}T{9 + i % 8:02d}:00",
            f"2030-06-1{i % 3}T{9 + i % 8:02d}:45",
            "R",
            "panel",
            "",
            "",
        ]
        for i in range(40)
    ]
    attendance = [[d, f"s{j}"] for i, d in enumerate(delegates) for j in range(i % 4, 40, 4)]
    database = await summit(tmp_path, sessions, attendance, delegates=delegates)
    try:
        groups = await reminders(database).due_groups(local("2030-06-01T00:00"))
        assert sum(g.count for g in groups) == len(attendance)
        assert len(groups) <= 24
    finally:
        await database.close()


def test_horizon_is_generous():
    from bot.services.reminders import HORIZON

    assert timedelta(days=14) <= HORIZON
