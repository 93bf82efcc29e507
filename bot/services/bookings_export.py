"""The bookings CSV for the protocol office (`summitbot bookings`, SPEC §4).

Columns: booking_id,date,start,end,room,delegation_a,delegation_b,participants,status —
times in the venue's timezone, participants as `;`-separated delegate ids, and the status
as the CSV knows it (a booking waiting for the organizers is still `pending`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.csv_output import SafeCsvWriter, neutralise
from bot.domain.bilaterals import Booking

HEADER = (
    "booking_id",
    "date",
    "start",
    "end",
    "room",
    "delegation_a",
    "delegation_b",
    "participants",
    "status",
)


def spreadsheet_safe(cell: str) -> str:
    """Delegation and room names come from organizers' files and could begin with `=`."""
    return neutralise(cell)


def rows(bookings: Iterable[Booking], zone: ZoneInfo) -> list[list[str]]:
    found = []
    for booking in bookings:
        start, end = booking.start.astimezone(zone), booking.end.astimezone(zone)
        found.append(
            [
                str(booking.id),
                start.date().isoformat(),
                start.strftime("%H:%M"),
                end.strftime("%H:%M"),
                spreadsheet_safe(booking.room),
                spreadsheet_safe(booking.requester),
                spreadsheet_safe(booking.other),
                spreadsheet_safe(";".join(p.delegate_id for p in booking.participants)),
                booking.state.export_status,
            ]
        )
    return found


def write(out: TextIO, table: Sequence[Sequence[str]]) -> None:
    # Every cell once more through the one CSV writer the bot has (bot.csv_output).
    writer = SafeCsvWriter(out)
    writer.writerow(HEADER)
    writer.writerows(table)
