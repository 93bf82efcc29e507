"""`summitbot export`: valid against the c3voc schemas, private sessions kept out, and
importing the export changes nothing."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import xmlschema

from bot.cli import main
from bot.services.imports import SourceFile, import_files
from bot.services.schedule_export import FRAB_XML, SCHEDULE_FORMATS, SCHEDULE_JSON, export_schedule
from bot.storage.database import Database
from tests.support.bot_process import write_config

DATA = Path(__file__).parents[1] / "data"
RIYADH = ZoneInfo("Asia/Riyadh")
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
SUMMIT = "Defense & Security Summit 2026"

SESSIONS_CSV = (
    "id,title,start,end,room,kind,audience,description,speakers,track,title:fr\n"
    "OPEN,Opening <plenary> & welcome,2026-12-01T09:00,2026-12-01T10:00,Main Hall,plenary,,"
    '"Welcome.\r\nFlags at 08:45.",Gen. A; Dr. B,Plenary,Ouverture\n'
    "BIL-1,Bilateral X–Y,2026-12-01T11:00,2026-12-01T11:30,Room 4,bilateral,,,,,\n"
    "DOORS,Doors open,2026-12-02T08:00:30,2026-12-02T08:01,Lobby,social,,,,,\n"
    "LONG,Exhibition,2026-12-01T08:00,2026-12-03T18:00,Hall B,exhibition,,,,,\n"
)


@pytest.fixture
async def database(tmp_path: Path):
    db = await Database.open(tmp_path / "summit.db")
    yield db
    await db.close()


async def load(database: Database) -> None:
    """A small summit, a real pretalx programme and a schedule with a repeated guid."""
    sources = [
        SourceFile("sessions.csv", SESSIONS_CSV.encode()),
        SourceFile("romhack.xml", (DATA / "pretalx-romhack-camp-2026.xml").read_bytes()),
        SourceFile(
            "repeat.xml",
            b"<schedule><conference/><day date='2026-12-02'><room name='Lab'>"
            b"<event guid='0c3f6a62-97d4-4b33-9f2b-3f3c0a6d7e11'><title>Workshop</title>"
            b"<date>2026-12-02T14:00:00+03:00</date><duration>01:00</duration></event>"
            b"<event guid='0c3f6a62-97d4-4b33-9f2b-3f3c0a6d7e11'><title>Workshop</title>"
            b"<date>2026-12-03T14:00:00+03:00</date><duration>01:00</duration></event>"
            b"</room></day></schedule>",
        ),
    ]
    report = await import_files(database, sources, RIYADH)
    assert report.ok, report.errors


async def export(database: Database, fmt: str, include_invited: bool = False) -> str:
    return await export_schedule(
        database, fmt, include_invited=include_invited, summit_name=SUMMIT, zone=RIYADH, now=NOW
    )


async def test_json_export_is_valid_against_the_c3voc_schema(database: Database) -> None:
    await load(database)
    schema = json.loads((DATA / "schedule.schema.json").read_text(encoding="utf-8"))

    document = json.loads(await export(database, SCHEDULE_JSON, include_invited=True))

    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    days = document["schedule"]["conference"]["days"]
    events = [e for day in days for room in day["rooms"].values() for e in room]
    assert len(events) == 4 + 10 + 2
    assert all(uuid.UUID(e["guid"]) for e in events)
    assert len({e["guid"] for e in events}) == len({e["id"] for e in events}) == len(events)


async def test_xml_export_is_valid_against_the_c3voc_schema(database: Database) -> None:
    await load(database)
    schema = xmlschema.XMLSchema(str(DATA / "schedule.xml.xsd"))

    text = await export(database, FRAB_XML, include_invited=True)

    schema.validate(text)
    assert text.count("<event ") == 16
    assert "<duration>00:00:30</duration>" in text  # 08:00:30 to 08:01, seconds kept


async def test_invited_sessions_only_with_all(database: Database) -> None:
    await load(database)

    public = await export(database, SCHEDULE_JSON)
    everything = await export(database, SCHEDULE_JSON, include_invited=True)

    assert "Bilateral X–Y" not in public
    assert "Bilateral X–Y" in everything


async def test_times_are_venue_time_and_guids_stable(database: Database) -> None:
    await load(database)

    first = await export(database, SCHEDULE_JSON)
    second = await export(database, SCHEDULE_JSON)

    assert first == second  # deterministic: the same programme gives the same bytes
    document = json.loads(first)
    events = {
        e["title"]: e
        for day in document["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for e in room
    }
    opening = events["Opening <plenary> & welcome"]
    assert opening["date"] == "2026-12-01T09:00:00+03:00"
    assert opening["start"] == "09:00"
    assert opening["type"] == "plenary"
    assert [p["name"] for p in opening["persons"]] == ["Gen. A", "Dr. B"]
    # A session imported from a schedule keeps its guid.
    assert events["RomHack Camp Opening"]["guid"] == "89839af4-ef15-5a58-8e2f-fc9263688830"
    assert events["RomHack Camp Opening"]["date"] == "2026-10-02T12:00:00+03:00"
    assert document["schedule"]["conference"]["time_zone_name"] == "Asia/Riyadh"


@pytest.mark.parametrize("fmt", SCHEDULE_FORMATS)
@pytest.mark.parametrize("include_invited", [False, True])
async def test_importing_an_export_changes_nothing(
    database: Database, fmt: str, include_invited: bool
) -> None:
    await load(database)
    before = await database.fetchall("SELECT * FROM session ORDER BY id")
    titles = await database.fetchall("SELECT * FROM session_title ORDER BY session_id")
    text = await export(database, fmt, include_invited)

    report = await import_files(database, [SourceFile("export", text.encode())], RIYADH)

    assert report.ok, report.errors
    assert report.sessions.added == report.sessions.changed == 0
    assert report.sessions.unchanged == (16 if include_invited else 15)
    after = await database.fetchall("SELECT * FROM session ORDER BY id")
    assert [tuple(row) for row in after] == [tuple(row) for row in before]
    assert [tuple(r) for r in titles] == [
        tuple(r) for r in await database.fetchall("SELECT * FROM session_title ORDER BY session_id")
    ]
    # And the export of the re-imported programme is the same file.
    assert await export(database, fmt, include_invited) == text


def test_export_command_writes_a_file_or_stdout(tmp_path: Path, capsys) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9/bot")
    sessions = tmp_path / "sessions.csv"
    sessions.write_text(SESSIONS_CSV, encoding="utf-8")
    assert main(["import", "--config", str(config), str(sessions)]) == 0
    capsys.readouterr()

    assert main(["export", "--config", str(config), "--format", "schedule-json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["schedule"]["conference"]["daysCount"] >= 1

    target = tmp_path / "schedule.xml"
    assert main(["export", "--config", str(config), "--format", "frab-xml", str(target)]) == 0
    xmlschema.XMLSchema(str(DATA / "schedule.xml.xsd")).validate(str(target))
    assert "Doors open" in target.read_text(encoding="utf-8")
    assert main(["import", "--config", str(config), str(target)]) == 0
    assert "0 added, 0 changed, 3 unchanged" in capsys.readouterr().out
