"""Session ids for schedule events, when a guid is repeated.

A workshop held twice, or a break listed in two rooms, shares its guid: each occurrence is
its own session. Ordered by start and room, the first keeps the guid as its id and the
others get `<guid>#2`, `<guid>#3`…, so re-imports find the same sessions again. An exact
repeat (same start, room and title) is imported once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.domain.models import Session
from bot.importers.issues import ParsedFile
from bot.importers.raw_events import RawEvent
from bot.importers.rows import MAX_ID_LENGTH

REPEAT_MARK = "#"
"""Joins a repeated guid and the occurrence number in a session id (`<guid>#2`)."""


def distinct_ids(
    read: list[tuple[RawEvent, Session]], keys: set[str], result: ParsedFile
) -> list[tuple[RawEvent, Session]]:
    """Every occurrence of a repeated key as its own session, with a stable id."""
    groups: dict[str, list[tuple[RawEvent, Session]]] = {}
    for event, session in read:
        groups.setdefault(session.id, []).append((event, session))
    kept: list[tuple[RawEvent, Session]] = []
    for key, group in groups.items():
        if len(group) == 1:
            kept.extend(group)
            continue
        group.sort(key=lambda item: (item[1].start, item[1].room, item[0].line))
        seen: set[tuple[datetime, str, str]] = set()
        numbered: list[tuple[RawEvent, Session]] = []
        for event, session in group:
            identity = (session.start, session.room, session.title)
            if identity in seen:
                result.warn(
                    event.line,
                    f"{event.label}: listed again with the same time, room and title — "
                    "imported once",
                )
                continue
            seen.add(identity)
            number = len(numbered) + 1
            new_id = key if number == 1 else f"{key}{REPEAT_MARK}{number}"
            if number > 1 and (new_id in keys or len(new_id) > MAX_ID_LENGTH):
                result.error(
                    event.line,
                    f"{event.label}: repeats its guid, and the id {new_id} it would get is "
                    "another event's or too long — give each event its own guid",
                )
                continue
            numbered.append((event, replace(session, id=new_id)))
        kept.extend(numbered)
        if len(numbered) > 1:
            lines = ", ".join(str(event.line) for event, _ in numbered)
            ids = ", ".join(session.id for _, session in numbered)
            what = "guid" if numbered[0][0].guid else "id"
            result.warn(
                numbered[0][0].line,
                f"{what} {key} is used by {len(numbered)} events (lines {lines}): each is "
                f"its own session, ordered by start and room — ids {ids}",
            )
    kept.sort(key=lambda item: item[0].line)
    return kept
