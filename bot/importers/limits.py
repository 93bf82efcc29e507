"""How long each imported text may be, checked once for every file format.

Telegram refuses a message over 4,096 characters and a button over 64 bytes of data; a
5,000-character title used to make /next and /program fail and a reminder fail for good.
The views shorten and split what they must (bot.reply.fit), but a title nobody can
read on a phone is a mistake in the file, so it is refused here with its line and the limit,
whatever format the file has (CSV, Frab XML, schedule JSON). The same pass checks that every
time lies in the summit range (bot.domain.bounds), whichever parser produced it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.bounds import RANGE_HINT, moment_in_range
from bot.domain.models import Delegate, Session
from bot.importers.issues import ParsedFile

MAX_TITLE = 200
MAX_ROOM = 100
MAX_TRACK = 100
MAX_DESCRIPTION = 10_000
MAX_SPEAKER = 200
MAX_SPEAKERS = 50
MAX_NAME = 200
MAX_DELEGATION = 100


def _too_long(what: str, value: str, limit: int) -> str | None:
    if len(value) <= limit:
        return None
    return (
        f'{what} "{value[:30]}…" is {len(value):,} characters long — the limit is {limit:,}; '
        "shorten it"
    )


def session_problems(session: Session) -> list[str]:
    checks: list[tuple[str, str, int]] = [
        ("title", session.title, MAX_TITLE),
        ("room", session.room, MAX_ROOM),
        ("track", session.track, MAX_TRACK),
        ("description", session.description, MAX_DESCRIPTION),
    ]
    checks += [(f"title:{lang}", text, MAX_TITLE) for lang, text in session.titles.items()]
    checks += [("speaker", name, MAX_SPEAKER) for name in session.speakers]
    problems = [p for p in (_too_long(*check) for check in checks) if p]
    if len(session.speakers) > MAX_SPEAKERS:
        problems.append(
            f"{len(session.speakers)} speakers — the limit is {MAX_SPEAKERS}; list the others "
            "in the description"
        )
    for label, moment in (("start", session.start), ("end", session.end)):
        if not moment_in_range(moment):
            problems.append(f"{label} {moment.isoformat()} is out of range — {RANGE_HINT}")
    return problems


def delegate_problems(delegate: Delegate) -> list[str]:
    checks = [
        ("name", delegate.name, MAX_NAME),
        ("delegation", delegate.delegation, MAX_DELEGATION),
    ]
    return [p for p in (_too_long(*check) for check in checks) if p]


def check_limits(result: ParsedFile) -> None:
    """Add an error, with its line, for every value over its limit (the file is rejected)."""
    located: Iterable[tuple[int, list[str]]] = [
        *((row.line, session_problems(row.value)) for row in result.sessions),
        *((row.line, delegate_problems(row.value)) for row in result.delegates),
    ]
    for line, problems in located:
        for problem in problems:
            result.error(line, problem)
