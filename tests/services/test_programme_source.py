"""Keeping the programme in sync with a schedule URL, against a local HTTP server whose
schedule changes between polls: notices once, and failures never cost the last good
programme."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import SystemClock
from bot.i18n import Catalogs
from bot.services.imports import SourceFile, import_files
from bot.services.notices import NoticeSettings
from bot.services.programme_source import FetchFailed, ProgrammeSync, fetch
from bot.services.source_status import status_lines
from bot.storage import sources
from bot.storage.database import Database
from tests.support.schedule_server import ScheduleServer

RIYADH = ZoneInfo("Asia/Riyadh")
ALICE = 1001


def event(guid: str, title: str, room: str, hour: int) -> str:
    return (
        f"<event guid='{guid}' id='{hour}'><title>{title}</title><room>{room}</room>"
        f"<date>2030-06-10T{hour:02d}:00:00+03:00</date><start>{hour:02d}:00</start>"
        "<duration>01:00</duration><type>panel</type></event>"
    )


def schedule(*events: tuple[str, str, str, int]) -> bytes:
    by_room: dict[str, list[str]] = {}
    for guid, title, room, hour in events:
        by_room.setdefault(room, []).append(event(guid, title, room, hour))
    rooms = "".join(f"<room name='{room}'>{''.join(e)}</room>" for room, e in by_room.items())
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n<schedule><version>1</version><conference>"
        "<time_zone_name>Asia/Riyadh</time_zone_name></conference>"
        f"<day index='1' date='2030-06-10'>{rooms}</day></schedule>\n"
    ).encode()


V1 = schedule(
    ("cyber", "Cyber defense", "Room A", 9),
    ("trade", "Trade controls", "Room B", 11),
    ("gala", "Gala dinner", "Terrace", 19),
)
# Room change for cyber, a new session, the gala gone.
V2 = schedule(
    ("cyber", "Cyber defense", "Room Z", 9),
    ("trade", "Trade controls", "Room B", 11),
    ("research", "Defense research", "Room C", 14),
)


def syncing(
    database: Database,
    server: ScheduleServer,
    on_change: Callable[[], None],
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> ProgrammeSync:
    """A sync of `server`'s schedule every 0.05 minutes (3 seconds), notices discreet."""
    return ProgrammeSync(
        database,
        server.url,
        0.05,
        RIYADH,
        NoticeSettings(Catalogs.load(RIYADH, "en"), discreet=True),
        SystemClock(),
        on_change,
        sleep=sleep,
    )


@pytest.fixture
def server() -> Iterator[ScheduleServer]:
    with ScheduleServer() as running:
        yield running


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "summit.db")
    yield db
    await db.close()


async def outbox(database: Database) -> list[tuple[int, str]]:
    rows = await database.fetchall("SELECT chat_id, text FROM outbox ORDER BY id")
    return [(row["chat_id"], row["text"]) for row in rows]


async def session_rows(database: Database) -> dict[str, tuple[str, str]]:
    rows = await database.fetchall("SELECT id, room, status FROM session")
    return {row["id"]: (row["room"], row["status"]) for row in rows}


async def test_a_changing_source_is_followed_and_failures_keep_the_last_good_programme(
    database: Database, server: ScheduleServer
) -> None:
    changes: list[str] = []
    sync = syncing(database, server, lambda: changes.append("changed"))
    server.publish(V1, '"v1"')
    server.published.last_modified = "Mon, 10 Jun 2030 06:00:00 GMT"

    first = await sync.poll()

    assert first.applied and first.report is not None
    assert first.report.sessions.added == 3
    # Alice, registered, has every session on her agenda.
    people = [
        SourceFile("delegates.csv", b"id,name,delegation\nalice,Alice,Arland\n"),
        SourceFile(
            "attendance.csv", b"delegate_id,session_id\nalice,cyber\nalice,trade\nalice,gala\n"
        ),
    ]
    assert (await import_files(database, people, RIYADH)).ok
    async with database.transaction() as tx:
        await tx.execute(
            "INSERT INTO telegram_user (user_id, delegate_id, linked_at) VALUES (?, 'alice', 0)",
            (ALICE,),
        )

    # Unchanged: a conditional request, answered 304.
    unchanged = await sync.poll()
    assert not unchanged.applied and unchanged.ok
    assert server.published.requests[-1]["if-none-match"] == '"v1"'
    assert server.published.requests[-1]["if-modified-since"] == "Mon, 10 Jun 2030 06:00:00 GMT"
    assert await outbox(database) == []

    # A room change, a new event, a removed event: one message for Alice listing both of
    # her changes; the removed event is cancelled, not deleted.
    server.publish(V2, '"v2"')
    second = await sync.poll()
    assert second.applied and second.report is not None
    assert (second.report.sessions.added, second.report.sessions.changed) == (1, 1)
    assert second.report.cancelled == 1
    messages = await outbox(database)
    assert len(messages) == 1
    chat, text = messages[0]
    assert chat == ALICE
    assert "Room A → <b>Room Z</b>" in text and "Gala dinner" in text and "Cancelled" in text
    assert await session_rows(database) == {
        "cyber": ("Room Z", "scheduled"),
        "trade": ("Room B", "scheduled"),
        "gala": ("Terrace", "cancelled"),
        "research": ("Room C", "scheduled"),
    }
    assert changes == ["changed", "changed"]
    good = await session_rows(database)

    # Polled again: 304, nothing new for anyone.
    await sync.poll()
    assert len(await outbox(database)) == 1

    # A broken file: rejected whole, the last good programme stays, the error is kept.
    server.publish(b"<schedule><day date='2030-06-10'><room name='X'><event", '"v3"')
    broken = await sync.poll()
    assert not broken.applied
    assert broken.error.startswith(f"invalid schedule: {server.url}:1: the XML is not well-formed")
    assert await session_rows(database) == good
    state = await sources.state(database, server.url)
    assert state.error == broken.error and state.error_at is not None

    # A server error: the same.
    server.published.status = 500
    failed = await sync.poll()
    assert failed.error == "HTTP 500 Internal Server Error"
    assert await session_rows(database) == good
    assert len(await outbox(database)) == 1

    # Back to the good file (same ETag as before the failures): fetched in full again,
    # since the failed polls forgot the validators, and nothing changes.
    server.publish(V2, '"v2"')
    recovered = await sync.poll()
    assert recovered.applied and recovered.ok
    assert "if-none-match" not in server.published.requests[-1]
    assert recovered.report is not None and recovered.report.sessions.unchanged == 3
    assert recovered.report.cancelled == 0
    assert len(await outbox(database)) == 1
    state = await sources.state(database, server.url)
    assert state.error == "" and state.success_at is not None and state.etag == '"v2"'
    assert changes == ["changed", "changed", "changed"]

    # The event comes back: un-cancelled, and Alice is told.
    server.publish(V1, '"v1b"')
    back = await sync.poll()
    assert back.report is not None and back.report.cancelled == 1  # research is gone now
    assert (await session_rows(database))["gala"] == ("Terrace", "scheduled")
    assert len(await outbox(database)) == 2

    audit = await database.fetchall("SELECT actor, action, target FROM audit ORDER BY id")
    assert [(r["actor"], r["target"]) for r in audit if r["action"] == "import"][-1] == (
        "source",
        server.url,
    )


async def test_a_file_import_never_cancels_what_a_source_listed(
    database: Database, server: ScheduleServer
) -> None:
    server.publish(V1, '"v1"')
    sync = syncing(database, server, lambda: None)
    await sync.poll()

    # A file with one of the events: imports never delete or cancel.
    partial = await import_files(database, [SourceFile("part.xml", schedule(V1_FIRST))], RIYADH)

    assert partial.ok and partial.cancelled == 0
    assert {status for _, status in (await session_rows(database)).values()} == {"scheduled"}


V1_FIRST = ("cyber", "Cyber defense", "Room A", 9)


async def test_fetch_is_bounded(server: ScheduleServer) -> None:
    server.publish(b"x" * 5000, "")
    with pytest.raises(FetchFailed, match="larger than"):
        await fetch(server.url, max_bytes=1000)

    # Compressed, the same 5000 bytes are tiny: the limit counts what they unpack to.
    server.published.gzip = True
    with pytest.raises(FetchFailed, match="larger than"):
        await fetch(server.url, max_bytes=1000)
    assert (await fetch(server.url)).data == b"x" * 5000
    server.published.gzip = False

    server.published.location = server.url  # redirects to itself, forever
    with pytest.raises(FetchFailed, match="more than 5 redirects"):
        await fetch(server.url)

    server.published.location = "ftp://127.0.0.1/schedule.xml"
    with pytest.raises(FetchFailed, match="not http"):
        await fetch(server.url)

    server.published.location = ""
    server.published.delay = 1.0
    with pytest.raises(FetchFailed, match=r"no complete answer within 0\.3 s"):
        await fetch(server.url, time_limit=0.3)

    with pytest.raises(FetchFailed, match="not an http"):
        await fetch("file:///etc/passwd")


async def test_the_poller_runs_on_its_own_and_stops(
    database: Database, server: ScheduleServer
) -> None:
    server.publish(V1, '"v1"')
    waits: list[float] = []
    two_polls = asyncio.Event()

    async def between_polls(seconds: float) -> None:
        # Instead of waiting `seconds` of real time: note the wait, let the loop run.
        waits.append(seconds)
        if len(waits) >= 2:
            two_polls.set()
        await asyncio.sleep(0)

    sync = syncing(database, server, lambda: None, sleep=between_polls)  # every 3 seconds
    sync.start()
    try:
        await asyncio.wait_for(two_polls.wait(), 10)
    finally:
        await sync.stop()
    assert sync.polls >= 2
    assert waits[:2] == [3.0, 3.0]
    assert len(await session_rows(database)) == 3


async def test_status_lines_show_url_last_success_and_last_error(database: Database) -> None:
    at = datetime(2030, 6, 10, 6, 0, tzinfo=UTC)
    await sources.record_success(database, "https://a.example/s.xml", at, '"e"', "")
    await sources.record_error(database, "https://b.example/s.json", at, "HTTP 503")

    lines = status_lines("https://a.example/s.xml", await sources.states(database), RIYADH)

    assert lines == [
        "programme source: https://a.example/s.xml — last success 2030-06-10 09:00:00",
        "programme source (imported once): https://b.example/s.json — last success never; "
        "LAST ERROR 2030-06-10 09:00:00: HTTP 503",
    ]
    assert status_lines(None, [], RIYADH) == ["programme source: none configured"]


def test_import_url_and_status_on_the_command_line(
    tmp_path: Path, server: ScheduleServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from tests.support.bot_process import write_config

    config = write_config(
        tmp_path, "http://127.0.0.1:9/bot", extra=f'[programme]\nsource_url = "{server.url}"\n'
    )
    server.publish(V1, '"v1"')

    assert main(["import", "--config", str(config), server.url]) == 0
    assert "sessions: 3 added, 0 changed, 0 unchanged" in capsys.readouterr().out
    # Fetched in full each time (no conditional request): a one-off import.
    assert main(["import", "--config", str(config), server.url]) == 0
    assert "0 added, 0 changed, 3 unchanged" in capsys.readouterr().out
    assert "if-none-match" not in server.published.requests[-1]

    server.published.status = 500
    assert main(["import", "--config", str(config), server.url]) == 1
    assert "HTTP 500 Internal Server Error — nothing was imported." in capsys.readouterr().err
    assert main(["import", "--config", str(config), "ftp://127.0.0.1/s.xml"]) == 1
    assert "only http:// and https://" in capsys.readouterr().err

    assert main(["status", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert f"programme source: {server.url} — last success 20" in out
    assert "LAST ERROR" in out and "HTTP 500" in out
