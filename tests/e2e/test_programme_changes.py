"""Organizer changes and imports reaching delegates, through the real bot and the emulator."""

import asyncio
import time

import pytest

from tests.support.bot_process import summitbot
from tests.support.summit_files import DAY1, DAY2, SESSIONS_HEADER, at, programme_row, to_csv

pytestmark = pytest.mark.e2e


def cyber_in(room: str) -> list[str]:
    """The programme's cyber panel (tests/support/summit_files.py) moved to `room`."""
    return programme_row(
        "cyber",
        "Cyber defense & <resilience>",
        at(DAY1, "11:00"),
        at(DAY1, "12:30"),
        room,
        "panel",
        track="Cyber",
    )


async def no_message_containing(user, text, within=0.5):
    await asyncio.sleep(within)
    assert not any(text in m.text for m in user.messages)


async def test_move_reaches_exactly_the_delegates_who_have_the_session(summit):
    alice = await summit.register("alice")
    yara = await summit.register("yara")
    zed = await summit.register("zed")
    await summit.organizer.send("/move bil-xy Salon 9 (east wing)")
    assert "2 delegates are being told" in (await summit.organizer.reply()).text
    for person in (alice, yara):
        notice = await person.reply()
        assert "Salon 3 → Salon 9 (east wing)" in notice.text
        # A bilateral is private: the lock screen shows time and room, not who meets whom.
        assert "Xandria" not in notice.text and "private meeting" in notice.text
    await no_message_containing(zed, "Salon 9")


async def test_move_of_an_open_session_names_it(summit):
    alice = await summit.register("alice")
    await summit.organizer.send("/move cyber Room Z")
    assert "1 delegate is being told" in (await summit.organizer.reply()).text
    notice = await alice.reply()
    assert "Cyber defense & <resilience>" in notice.text and "Room A → Room Z" in notice.text
    await alice.send(f"/agenda {DAY1.isoformat()}")
    assert "Room Z" in (await alice.reply()).text


async def test_reschedule_keeps_the_duration_and_cancel_tells_everyone(summit):
    alice = await summit.register("alice")
    await summit.organizer.send("/reschedule cyber 15:00")
    reply = (await summit.organizer.reply()).text
    assert "15:00–16:30" in reply
    assert "15:00–16:30" in (await alice.reply()).text
    await summit.organizer.send("/cancel cyber")
    assert "is cancelled" in (await summit.organizer.reply()).text
    assert "Cancelled" in (await alice.reply()).text
    await summit.organizer.send("/cancel cyber")
    assert "already cancelled" in (await summit.organizer.reply()).text


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/move nope Hall", "There is no session nope"),
        ("/move cyber", "Write /move SESSION_ID NEW ROOM"),
        ("/reschedule cyber 15:00 14:00", "The end must be after the start"),
        ("/reschedule cyber 2020-01-01T10:00", "That time has already passed"),
        ("/reschedule cyber soon", "I cannot read soon as a time"),
        ("/reschedule nope 10:00", "There is no session nope"),
        ("/cancel", "Write /cancel SESSION_ID"),
        ("/move cyber Room A", "already is like that"),
    ],
)
async def test_bad_changes_are_refused_and_change_nothing(summit, command, answer):
    alice = await summit.register("alice")
    await summit.organizer.send(command)
    assert answer in (await summit.organizer.reply()).text
    await no_message_containing(alice, "Programme change", within=0.3)


async def test_delegates_cannot_change_the_programme(summit):
    alice = await summit.register("alice")
    for command in ("/move cyber Basement", "/cancel cyber", "/reschedule cyber 18:00"):
        await alice.send(command)
        assert (await alice.reply()).text == "This command is for the organizers."
    await alice.send(f"/agenda {DAY1.isoformat()}")
    assert "Room A" in (await alice.reply()).text


async def test_an_outside_import_is_noticed_and_notified_within_five_seconds(summit, tmp_path):
    alice = await summit.register("alice")
    changed = tmp_path / "changed.csv"
    changed.write_bytes(
        to_csv(
            [
                SESSIONS_HEADER,
                cyber_in("Room Q"),
                programme_row(
                    "bil-xy",
                    "Bilateral: Xandria – Yoland",
                    at(DAY1, "16:00"),
                    at(DAY1, "16:45"),
                    "Salon 3",
                    "bilateral",
                ),
                programme_row(
                    "crisis",
                    "Crisis management",
                    at(DAY2, "10:00"),
                    at(DAY2, "11:00"),
                    "Room C",
                    "panel",
                    track="Crisis",
                ),
            ]
        )
    )
    result = await summitbot("import", "--config", str(summit.config), str(changed))
    imported_at = time.monotonic()
    assert result.code == 0, result.stderr
    assert "sessions: 0 added, 3 changed" in result.stdout
    notice = await alice.reply(timeout=5)
    assert time.monotonic() - imported_at < 5
    # One message for both of alice's changed sessions; the crisis panel is not hers.
    assert "Programme changes" in notice.text and "(2)" in notice.text
    assert "Room A → Room Q" in notice.text and "16:00–16:45" in notice.text
    assert "Crisis" not in notice.text
    await alice.no_reply(within=0.5)


async def test_organizer_sends_a_file_and_gets_the_report(summit):
    alice = await summit.register("alice")
    data = to_csv(
        [
            SESSIONS_HEADER,
            cyber_in("Room K"),
        ]
    )
    await summit.organizer.send_document("sessions.csv", data, mime_type="text/csv")
    report = (await summit.organizer.reply()).text
    assert "Imported sessions.csv" in report and "1 changed" in report
    assert "1 delegate is being told" in report
    assert "Room A → Room K" in (await alice.reply()).text
    bad = b"id,title,start,end,room\nx,Bad,2030-06-10T10:00,2030-06-10T09:00,R\n"
    await summit.organizer.send_document("broken.csv", bad, mime_type="text/csv")
    text = (await summit.organizer.reply()).text
    assert "nothing was imported" in text and "broken.csv:2:" in text
    await alice.send_document("sessions.csv", data, mime_type="text/csv")
    assert (await alice.reply()).text == "This command is for the organizers."


async def test_remind_sets_the_lead(summit):
    alice = await summit.register("alice")
    await alice.send("/remind 30")
    assert "30 minutes before each" in (await alice.reply()).text
    await alice.send("/remind off")
    assert "Reminders are off" in (await alice.reply()).text
    for bad in ("/remind 0.5", "/remind 241", "/remind soon"):
        await alice.send(bad)
        assert "Write /remind MINUTES" in (await alice.reply()).text
    await alice.send("/remind")
    assert "Reminders are off" in (await alice.reply()).text


async def test_audit_lists_organizer_actions(summit):
    await summit.organizer.send("/move cyber Room W")
    await summit.organizer.reply()
    result = await summitbot("audit", "--config", str(summit.config))
    assert result.code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].split("\t")[2] == "import"
    move = lines[-1].split("\t")
    assert move[1] == "telegram:900" and move[2] == "move" and move[3] == "cyber"
    assert '"Room A"' in move[4] and '"Room W"' in move[4]


async def test_remind_reads_arabic_digits_and_refuses_superscripts(summit):
    alice = await summit.register("alice", language_code="en")
    await alice.send("/remind ٣٠")
    assert "30 minutes before each" in (await alice.reply()).text
    await alice.send("/remind ²")
    assert "Write /remind MINUTES" in (await alice.reply()).text
