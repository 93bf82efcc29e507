"""The defects of issue 14, each met the way a person meets it: in chat, through the real
bot process and the emulator, or at the command line (docs/security.md, "Hardening")."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import Summit, launch
from tests.support.bot_process import summitbot
from tests.support.summit_files import (
    DAY1,
    DAY2,
    DAY3,
    SESSIONS_HEADER,
    VENUE,
    at,
    programme_rows,
    summit_files,
    to_csv,
)

pytestmark = pytest.mark.e2e

WENT_WRONG = "something went wrong"


def session_row(session_id: str, **changes: str) -> list[str]:
    row = next(r for r in programme_rows(datetime.now(UTC)) if r[0] == session_id)
    for column, value in changes.items():
        row[SESSIONS_HEADER.index(column)] = value
    return row


async def import_rows(summit: Summit, name: str, rows: list[list[str]]) -> None:
    path = summit.directory / name
    path.write_bytes(to_csv(rows))
    imported = await summitbot("import", "--config", str(summit.config), str(path))
    assert imported.code == 0, imported.stderr


def database(summit: Summit) -> sqlite3.Connection:
    return sqlite3.connect(summit.directory / "summit.db")


async def all_replies(user, within: float = 1.0) -> list[str]:
    await asyncio.sleep(within)
    return [m.text for m in user.messages]


# 2 ─ an invited session never reaches someone through their own earlier choice


async def test_a_session_made_invited_leaves_the_agendas_of_those_who_added_it(summit):
    alice = await summit.register("alice")
    yara = await summit.register("yara")
    await alice.send("/program")
    page = await alice.reply()
    await alice.press(page, callback_data=f"pg:v:{DAY2.isoformat()}:0", forge=True)
    page = await alice.wait_edit(page)
    added = await alice.press(page, next(b for b in page.button_texts() if "Crisis" in b))
    assert "Added to your agenda: Crisis management" in added.text

    # The organizers re-import it as a closed meeting with its own attendees.
    secret = session_row(
        "crisis", title="Secret talks on Zembla", room="Vault 7", audience="invited"
    )
    await import_rows(summit, "secret.csv", [SESSIONS_HEADER, secret])
    await import_rows(summit, "who.csv", [["delegate_id", "session_id"], ["yara", "crisis"]])

    notice = await alice.reply(timeout=15)
    assert "Crisis management" in notice.text and "no longer on your agenda" in notice.text
    assert "Secret" not in notice.text and "Vault" not in notice.text

    # Nothing of it by any view: agenda, programme, next, calendar.
    await alice.send(f"/agenda {DAY2.isoformat()}")
    agenda = (await alice.reply()).text
    assert "Secret" not in agenda and "Crisis" not in agenda
    await alice.send("/program")
    page = await alice.reply()
    await alice.press(page, callback_data=f"pg:v:{DAY2.isoformat()}:0", forge=True)
    page = await alice.wait_edit(page)
    assert "Secret" not in page.text and "Vault" not in page.text
    await alice.send("/calendar")
    calendar = await alice.reply()
    assert calendar.document is not None
    assert b"Secret" not in calendar.document.content and b"Vault" not in calendar.document.content

    # Its later change notices go to its attendees only.
    await summit.organizer.send("/move crisis Vault 9")
    assert "1 delegate is being told" in (await summit.organizer.reply()).text
    assert "Vault 9" in (await yara.reply()).text
    await asyncio.sleep(1)
    assert not any("Vault" in m.text or "Secret" in m.text for m in alice.messages)
    with database(summit) as db:
        assert db.execute(
            "SELECT delegate_id, source FROM attendance WHERE session_id = 'crisis'"
        ).fetchall() == [("yara", "organizer")]


async def test_an_attendance_file_row_keeps_a_self_added_session(summit):
    alice = await summit.register("alice")
    with database(summit) as db:  # alice added it herself from /program earlier
        db.execute(
            "INSERT INTO attendance (delegate_id, session_id, source)"
            " VALUES ('alice', 'crisis', 'delegate')"
        )
    await import_rows(summit, "who.csv", [["delegate_id", "session_id"], ["alice", "crisis"]])
    await import_rows(
        summit, "secret.csv", [SESSIONS_HEADER, session_row("crisis", audience="invited")]
    )
    await asyncio.sleep(6)  # the bot notices outside imports within 5 seconds
    assert not any("no longer" in m.text for m in alice.messages)
    await alice.send(f"/agenda {DAY2.isoformat()}")
    assert "Crisis management" in (await alice.reply()).text


# 3 ─ lost updates: see tests/storage/test_change_transactions.py (the interleaving is
# forced there; through chat it is a race that a test could only hit by luck).


# 5 ─ values out of range, at every edge


async def test_dates_out_of_range_are_refused_in_chat_and_nothing_breaks(summit):
    alice = await summit.register("alice")
    organizer = summit.organizer
    for command in (
        "/reschedule cyber 9999-12-31T20:00-05:00",
        "/reschedule cyber 0001-01-01T00:30+05:00",
        "/reschedule cyber 2030-06-10T10:00 9999-12-31T23:59",
    ):
        await organizer.send(command)
        answer = (await organizer.reply()).text
        assert "outside the years 2000–2100" in answer and "Nothing was changed" in answer
    await alice.send("/agenda 9999-12-31")
    assert "I cannot read 9999-12-31 as a day" in (await alice.reply()).text
    await alice.send(f"/agenda {DAY1.isoformat()}")
    day = await alice.reply()
    assert "Cyber defense" in day.text
    assert await alice.press(day, callback_data="ag:0001-01-01", forge=True) is not None
    assert await alice.press(day, callback_data="ag:9999-12-31", forge=True) is not None
    await alice.send("/program")
    page = await alice.reply()
    await alice.press(page, callback_data="pg:v:9999-12-31:0", forge=True)
    await alice.press(page, callback_data="pg:v:0001-01-01:0", forge=True)
    # Everyone's views still work, and nothing answered "something went wrong".
    for command in ("/agenda", "/program", "/next"):
        await alice.send(command)
        assert WENT_WRONG not in (await alice.reply()).text
    assert not any(WENT_WRONG in m.text for m in alice.messages + organizer.messages)
    with database(summit) as db:
        latest = db.execute("SELECT MAX(ends_at) FROM session").fetchone()[0]
    assert datetime.fromtimestamp(latest, UTC).year < 2100


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("9999-12-31T23:00", "9999-12-31T23:30"),
        ("0001-01-01T00:30+05:00", "0001-01-01T01:30+05:00"),
        ("2100-12-31T23:00-05:00", "2100-12-31T23:30-05:00"),
    ],
)
async def test_the_importer_refuses_dates_out_of_range_with_their_line(summit, start, end):
    path = summit.directory / "far.csv"
    path.write_bytes(to_csv([SESSIONS_HEADER, session_row("cyber", start=start, end=end)]))
    result = await summitbot("import", "--config", str(summit.config), str(path))
    assert result.code == 1
    assert "far.csv:2: start" in result.stderr and "out of range" in result.stderr
    assert "Traceback" not in result.stderr


# 6 ─ day navigation counts only what the viewer may see


def files_with_a_bilateral_after_the_programme() -> dict[str, bytes]:
    files = summit_files(datetime.now(UTC))
    after = DAY3 + timedelta(days=1)
    extra = ["late-bil", "Bilateral: Zembla – Yoland", at(after, "09:00"), at(after, "09:45")]
    extra += ["Salon 5", "", "bilateral", "", "", ""]
    files["sessions.csv"] += to_csv([extra])
    files["attendance.csv"] += to_csv([["zed", "late-bil"]])
    return files


async def test_a_private_meeting_after_the_programme_adds_no_day_for_others(tmp_path, emulator):
    async with launch(tmp_path, emulator, files_with_a_bilateral_after_the_programme()) as summit:
        alice = await summit.register("alice")
        zed = await summit.register("zed")
        after = DAY3 + timedelta(days=1)
        await alice.send(f"/agenda {DAY3.isoformat()}")
        day = await alice.reply()
        assert not any("▶" in b for b in day.button_texts()), day.button_texts()
        await alice.send("/program")
        page = await alice.reply()
        await alice.press(page, callback_data=f"pg:v:{DAY3.isoformat()}:0", forge=True)
        page = await alice.wait_edit(page)
        assert not any("▶" in b for b in page.button_texts()), page.button_texts()
        # The delegate who has it does get the day.
        await zed.send(f"/agenda {DAY3.isoformat()}")
        buttons = (await zed.reply()).button_texts()
        assert any("▶" in b for b in buttons), buttons
        await zed.send(f"/agenda {after.isoformat()}")
        assert "Salon 5" in (await zed.reply()).text


# 7 ─ long texts


async def test_the_importer_refuses_a_title_over_the_limit_with_its_line(summit):
    path = summit.directory / "long.csv"
    path.write_bytes(to_csv([SESSIONS_HEADER, session_row("cyber", title="A" * 5000)]))
    result = await summitbot("import", "--config", str(summit.config), str(path))
    assert result.code == 1
    assert "long.csv:2: title" in result.stderr and "the limit is 200" in result.stderr


async def test_views_and_reminders_survive_a_title_too_long_for_telegram(tmp_path, emulator):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=75)
    local = start.astimezone(VENUE)
    files = summit_files(datetime.now(UTC))
    row = ["huge", "Placeholder", local.strftime("%Y-%m-%dT%H:%M:%S")]
    row += [(local + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S"), "Room H"]
    row += ["", "panel", "", "", ""]
    files["sessions.csv"] += to_csv([row])
    files["attendance.csv"] += to_csv([["alice", "huge"]])
    extra = '[reminders]\nlead_minutes = 1\ndigest_time = ""\n'
    async with launch(tmp_path, emulator, files, extra_config=extra) as summit:
        # A database written before the import limit existed.
        with database(summit) as db:
            db.execute("UPDATE session SET title = ? WHERE id = 'huge'", ("Word " * 1200,))
        alice = await summit.register("alice")
        for command in ("/next", "/program", "/agenda"):
            await alice.send(command)
            answer = await alice.reply()
            assert WENT_WRONG not in answer.text
            assert "Word Word" in answer.text or command == "/program"
        await asyncio.sleep(0.5)
        reminder_due = start - timedelta(minutes=1)
        wait = (reminder_due - datetime.now(UTC)).total_seconds() + 15
        deadline = asyncio.get_running_loop().time() + wait
        while asyncio.get_running_loop().time() < deadline:
            if any("Reminder" in m.text for m in alice.messages):
                break
            await asyncio.sleep(0.5)
        assert any("Reminder" in m.text for m in alice.messages)
        assert not any(WENT_WRONG in m.text for m in alice.messages)
        with database(summit) as db:
            failed = db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").fetchone()
        assert failed == (0,)


# 8 ─ a revoked account gets nothing that was queued for it


async def test_messages_queued_for_a_reissued_account_are_not_sent(summit):
    alice = await summit.register("alice")
    yara = await summit.register("yara")
    await summit.bot.stop()
    await import_rows(
        summit,
        "moves.csv",
        [
            SESSIONS_HEADER,
            session_row("cyber", room="Room Q"),  # alice's
            session_row("bil-zy", room="Salon 8"),  # yara's
        ],
    )
    reissued = await summitbot("invites", "--config", str(summit.config), "--reissue", "alice")
    assert reissued.code == 0, reissued.stderr
    await summit.restart()
    assert "Salon 8" in (await yara.reply(timeout=10)).text
    await alice.no_reply(within=2)
    assert not any("Room Q" in m.text for m in alice.messages)


# 9, 10, 11 ─ /reschedule and /move read times and states the way the organizer means


async def test_an_hhmm_end_belongs_to_the_start_day(summit):
    alice = await summit.register("alice")
    await summit.organizer.send(f"/reschedule cyber {DAY2.isoformat()}T10:00 11:00")
    answer = (await summit.organizer.reply()).text
    assert "10:00–11:00" in answer
    assert "10:00–11:00" in (await alice.reply()).text
    with database(summit) as db:
        starts, ends = db.execute(
            "SELECT starts_at, ends_at FROM session WHERE id = 'cyber'"
        ).fetchone()
    assert ends - starts == 3600
    assert datetime.fromtimestamp(starts, VENUE).date() == DAY2


async def test_a_cancelled_session_is_not_moved_or_rescheduled(summit):
    alice = await summit.register("alice")
    await summit.organizer.send("/cancel cyber")
    assert "is cancelled" in (await summit.organizer.reply()).text
    assert "Cancelled" in (await alice.reply()).text
    for command in ("/move cyber Room Z", "/reschedule cyber 16:00", "/move gone Room Z"):
        await summit.organizer.send(command)
        answer = (await summit.organizer.reply()).text
        assert "cannot be moved or rescheduled" in answer and "status scheduled" in answer
    await alice.no_reply(within=1)
    with database(summit) as db:
        assert db.execute("SELECT status, room FROM session WHERE id = 'cyber'").fetchone() == (
            "cancelled",
            "Room A",
        )


async def test_a_time_skipped_by_daylight_saving_is_refused_in_chat(summit):
    await summit.bot.stop()
    summit.config.write_text(
        summit.config.read_text().replace('"Asia/Riyadh"', '"Europe/Berlin"'), encoding="utf-8"
    )
    await summit.restart()
    # Berlin springs forward on 31 March 2030: 02:00 becomes 03:00.
    await summit.organizer.send("/reschedule cyber 2030-03-31T02:30")
    answer = (await summit.organizer.reply()).text
    assert "does not exist at the venue" in answer and "Nothing was changed" in answer
    await summit.organizer.send("/reschedule cyber 2030-03-31T03:30")
    assert "03:30" in (await summit.organizer.reply()).text
    path = summit.directory / "gap.csv"
    row = session_row("crisis", start="2030-03-31T02:30", end="2030-03-31T04:00")
    path.write_bytes(to_csv([SESSIONS_HEADER, row]))
    imported = await summitbot("import", "--config", str(summit.config), str(path))
    assert imported.code == 1 and "does not exist" in imported.stderr


# 12 ─ a session across midnight is on every day it covers


async def test_a_session_across_midnight_is_on_both_days(tmp_path, emulator):
    files = summit_files(datetime.now(UTC))
    gala = ["gala", "Gala dinner", at(DAY1, "22:00"), at(DAY2, "01:30"), "Terrace"]
    files["sessions.csv"] += to_csv([[*gala, "", "social", "", "", ""]])
    files["attendance.csv"] += to_csv([["alice", "gala"]])
    async with launch(tmp_path, emulator, files) as summit:
        alice = await summit.register("alice")
        for day in (DAY1, DAY2):
            await alice.send(f"/agenda {day.isoformat()}")
            assert "Gala dinner" in (await alice.reply()).text, day
        await alice.send(f"/agenda {DAY3.isoformat()}")
        assert "Gala dinner" not in (await alice.reply()).text


# 13 ─ message contents stay out of the log at DEBUG


async def test_debug_logging_keeps_message_contents_out_of_the_log(summit):
    alice = await summit.register("alice")
    await alice.send(f"/agenda {DAY1.isoformat()}")
    assert "Cyber defense" in (await alice.reply()).text
    await summit.organizer.send("/move bil-xy Salon 9 (east wing)")
    await summit.organizer.reply()
    await alice.reply()
    log = summit.bot.log()
    assert 'level = "DEBUG"' in summit.config.read_text()  # the bot really runs at DEBUG
    for content in ("Cyber defense", "Opening plenary", "Salon 9", "Alice Arnaud", "Welcome"):
        assert content not in log, content
