"""A small, precisely known summit for tests: who attends what is chosen to test rules.

Days are fixed far in the future (so "the past" never interferes); a few sessions are
placed relative to the real clock for `/next`.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

VENUE = ZoneInfo("Asia/Riyadh")
DAY1, DAY2, DAY3 = date(2030, 6, 10), date(2030, 6, 11), date(2030, 6, 12)

SESSION_COLUMNS = ["id", "title", "start", "end", "room", "track", "kind", "audience", "status"]
"""The sessions file's columns in SPEC order; translations and extras go after."""
SESSIONS_HEADER = [*SESSION_COLUMNS, "title:fr"]


def programme_row(
    id: str,
    title: str,
    start: str,
    end: str,
    room: str,
    kind: str,
    *,
    track: str = "",
    audience: str = "",
    status: str = "",
    title_fr: str = "",
) -> list[str]:
    """One row of a sessions file under SESSIONS_HEADER."""
    return [id, title, start, end, room, track, kind, audience, status, title_fr]


def at(day: date, hhmm: str) -> str:
    return f"{day.isoformat()}T{hhmm}"


def local(moment: datetime) -> str:
    return moment.astimezone(VENUE).strftime("%Y-%m-%dT%H:%M")


def programme_rows(now: datetime) -> list[list[str]]:
    soon = now + timedelta(minutes=30)
    return [
        programme_row(
            "open",
            "Opening plenary",
            at(DAY1, "09:00"),
            at(DAY1, "10:00"),
            "Plenary Hall",
            "plenary",
            title_fr="Séance plénière d'ouverture",
        ),
        programme_row(
            "cyber",
            "Cyber defense & <resilience>",
            at(DAY1, "11:00"),
            at(DAY1, "12:30"),
            "Room A",
            "panel",
            track="Cyber",
        ),
        programme_row(
            "bil-xy",
            "Bilateral: Xandria – Yoland",
            at(DAY1, "14:00"),
            at(DAY1, "14:45"),
            "Salon 3",
            "bilateral",
        ),
        programme_row(
            "bil-zy",
            "Bilateral: Zembla – Yoland",
            at(DAY1, "15:00"),
            at(DAY1, "15:45"),
            "Salon 4",
            "bilateral",
        ),
        programme_row(
            "gone",
            "Cancelled workshop",
            at(DAY1, "16:00"),
            at(DAY1, "17:00"),
            "Room B",
            "workshop",
            status="cancelled",
        ),
        programme_row(
            "closing",
            "Closing plenary",
            at(DAY3, "17:00"),
            at(DAY3, "18:00"),
            "Plenary Hall",
            "plenary",
        ),
        programme_row(
            "crisis",
            "Crisis management",
            at(DAY2, "10:00"),
            at(DAY2, "11:00"),
            "Room A",
            "panel",
            track="Crisis",
        ),
        programme_row(
            "private-plenary",
            "Closed plenary of ministers",
            at(DAY2, "12:00"),
            at(DAY2, "13:00"),
            "Hall B",
            "plenary",
            audience="invited",
        ),
        programme_row(
            "soon",
            "Briefing on logistics",
            local(soon),
            local(soon + timedelta(minutes=45)),
            "Room C",
            "panel",
            audience="all",
        ),
    ]


DELEGATES = [
    ["id", "name", "delegation", "language", "role"],
    ["alice", "Alice Arnaud", "Xandria", "", "delegate"],
    ["yara", "Yara Yilmaz", "Yoland", "", "delegate"],
    ["zed", "Zed Zamani", "Zembla", "", "delegate"],
    ["farid", "Farid Fakhoury", "Xandria", "fr", "delegate"],
    ["olga", "Olga Organizer", "Secretariat", "", "organizer"],
]

ATTENDANCE = [
    ["delegate_id", "session_id"],
    ["alice", "cyber"],
    ["alice", "bil-xy"],
    ["alice", "gone"],
    ["alice", "soon"],
    ["yara", "bil-xy"],
    ["yara", "bil-zy"],
    ["zed", "bil-zy"],
    ["zed", "private-plenary"],
]


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def summit_files(now: datetime) -> dict[str, bytes]:
    return {
        "sessions.csv": to_csv([SESSIONS_HEADER, *programme_rows(now)]),
        "delegates.csv": to_csv(DELEGATES),
        "attendance.csv": to_csv(ATTENDANCE),
    }


def write_summit(directory: Path) -> list[str]:
    """The summit's files written into `directory` (the programme placed around now); their
    paths, for `summitbot import`."""
    paths = []
    for name, data in summit_files(datetime.now(UTC)).items():
        (directory / name).write_bytes(data)
        paths.append(str(directory / name))
    return paths
