"""The UUID a session has in published schedules (Frab XML / schedule JSON `guid`).

A session imported from a schedule keeps its guid as its id, so the guid is the id. Any other
session (a CSV row "S1", a repeated guid's second occurrence "<guid>#2", a bilateral) gets a
name-based UUID of its id: the same every time, so apps that follow the exported schedule
see updates, not new events, and importing the export finds the same session again.
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("6b1f3c2e-9a4d-5e7b-8c0f-2d4a6e8b0c1d")
"""Fixed forever: changing it would give every exported session a new guid."""


def export_guid(session_id: str) -> str:
    try:
        parsed = uuid.UUID(session_id)
    except ValueError:
        return str(uuid.uuid5(NAMESPACE, session_id))
    if str(parsed) == session_id.lower():
        return session_id.lower()
    return str(uuid.uuid5(NAMESPACE, session_id))  # "{…}" or unhyphenated forms: not ours to keep
