"""Sessions built in memory for domain tests: a panel of an hour from T0 unless told."""

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.models import Audience, Session, SessionKind

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def session(
    id: str = "s",
    kind: SessionKind = SessionKind.PANEL,
    audience: Audience = Audience.ALL,
    start: datetime = T0,
    minutes: int = 60,
    **kw: Any,
) -> Session:
    return Session(
        id=id,
        title=id,
        start=start,
        end=start + timedelta(minutes=minutes),
        room="R",
        kind=kind,
        audience=audience,
        **kw,
    )
