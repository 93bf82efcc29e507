"""The audit log: who changed what and when, old → new. Read with `summitbot audit`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, object]


async def record(
    tx: Transaction, at: float, actor: str, action: str, target: str, **detail: object
) -> None:
    await tx.execute(
        "INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        (at, actor, action, target, json.dumps(detail, ensure_ascii=False, default=str)),
    )


async def entries(database: Database, limit: int | None = None) -> list[AuditEntry]:
    rows = await database.fetchall(
        "SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT ?",
        (limit if limit is not None else -1,),
    )
    return [
        AuditEntry(
            at=datetime.fromtimestamp(row["at"], UTC),
            actor=row["actor"],
            action=row["action"],
            target=row["target"],
            detail=json.loads(row["detail"]),
        )
        for row in reversed(rows)
    ]
