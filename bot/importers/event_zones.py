"""Schedule times in another time zone than the venue's, or in none: what the organizer is told.

A `time_zone_name` (or offsets) other than the venue's is converted to venue time and said
so; a file with neither is read as venue time, and that is said too. An unknown zone name
is explained wherever a time could not be read because of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.models import Session
from bot.importers.issues import Invalid, ParsedFile
from bot.importers.raw_events import Conference, RawEvent
from bot.importers.times import parse_datetime


def zone_warning(
    conference: Conference, read: Sequence[tuple[RawEvent, Session]], result: ParsedFile
) -> None:
    """Say when the file's times are in another zone than the venue's (judged at the first
    event, so that the zones' daylight saving time is that of the summit)."""
    if not read:
        return
    venue = read[0][1].start.astimezone(conference.venue)
    if conference.named and conference.zone is not None:
        local = read[0][1].start.astimezone(conference.zone)
        if local.utcoffset() != venue.utcoffset():
            result.warn(
                None,
                f"the schedule's time zone is {conference.zone_name}, the venue's is "
                f"{conference.venue}: times were converted to venue time (e.g. "
                f"{local.strftime('%H:%M')} {conference.zone_name} = "
                f"{venue.strftime('%H:%M')} venue time)",
            )
        return
    for event, session in read:
        try:
            written = parse_datetime(event.date, None) if event.date else None
        except Invalid:
            continue  # no offset: venue time
        if written is None:
            continue
        local = session.start.astimezone(conference.venue)
        if written.utcoffset() != local.utcoffset():
            result.warn(
                None,
                f"the schedule's times carry the UTC offset {written.strftime('%z')}, the venue "
                f"({conference.venue}) is at {local.strftime('%z')}: times were converted to "
                f"venue time (e.g. {written.strftime('%H:%M')} in the file = "
                f"{local.strftime('%H:%M')} venue time)",
            )
        return
    # Neither a zone name nor a single offset (older Pentabarf exports such as FOSDEM 2010):
    # the wall-clock times can only be read as venue time, which is wrong if the conference
    # was elsewhere — so the organizer is told rather than left to find out from the agenda.
    first = read[0][1].start.astimezone(conference.venue)
    result.warn(
        None,
        "the schedule names no time zone (no time_zone_name, no UTC offsets): its times were "
        f"read as venue time ({conference.venue}), e.g. {first.strftime('%Y-%m-%d %H:%M')} — "
        "if the programme was published for another place, add its time_zone_name "
        "(like Europe/Brussels) to the file",
    )


def zone_hint(conference: Conference) -> str:
    if conference.zone is not None:
        return ""
    return (
        f' (the schedule\'s time_zone_name "{conference.zone_name}" is not a known time zone — '
        "use an IANA name like Europe/Berlin)"
    )
