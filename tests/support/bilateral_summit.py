"""A summit for bilateral meetings: three delegations with heads, two bilateral rooms."""

from __future__ import annotations

from bot.domain.rooms import Room
from tests.support.rooms import bilateral_room
from tests.support.summit_files import DAY1, DAY2, SESSIONS_HEADER, at, programme_row, to_csv

DELEGATES = [
    ["id", "name", "delegation", "language", "role"],
    ["hx", "Hana Xu", "Xandria", "en", "head"],
    ["x1", "Xavier One", "Xandria", "", "delegate"],
    ["x2", "Xenia Two", "Xandria", "", "delegate"],
    ["x3", "Xander Three", "Xandria", "", "delegate"],
    ["hy", "Youssef Haddad", "Yoland", "ar", "head"],
    ["y1", "Yasmin One", "Yoland", "ar", "delegate"],
    ["y2", "Yusuf Two", "Yoland", "", "delegate"],
    ["hz", "Zora Zed", "Zembla", "fr", "head"],
    ["z1", "Zak One", "Zembla", "", "delegate"],
]

SESSIONS = [
    programme_row(
        "open", "Opening plenary", at(DAY1, "08:00"), at(DAY1, "09:00"), "Plenary Hall", "plenary"
    ),
    programme_row(
        "cyber", "Cyber defense", at(DAY1, "09:00"), at(DAY1, "10:00"), "Room A", "panel"
    ),
    programme_row(
        "closing",
        "Closing plenary",
        at(DAY2, "18:00"),
        at(DAY2, "19:00"),
        "Plenary Hall",
        "plenary",
    ),
]

ATTENDANCE = [["delegate_id", "session_id"], ["x1", "cyber"]]

ROOMS: list[Room] = [bilateral_room("Salon 1", 4), bilateral_room("Salon 2", 8)]

# hours 08:00-12:00: with the opening plenary 08:00-09:00 (everyone's) and slots of 30
# minutes, the first slot is 09:00 in the smallest room that seats everyone.
CONFIG = """
[bilaterals]
slot_minutes = 30
turnaround_minutes = 15
per_delegation_per_day = 2
request_expiry_hours = 12
hours = "08:00-12:00"
"""


def files() -> dict[str, bytes]:
    return {
        "sessions.csv": to_csv([SESSIONS_HEADER, *SESSIONS]),
        "delegates.csv": to_csv(DELEGATES),
        "attendance.csv": to_csv(ATTENDANCE),
    }
