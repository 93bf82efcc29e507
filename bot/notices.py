"""Turning programme changes into notices, queued in the transaction of the change.

Both a change made in chat (/move, /reschedule, /cancel) and an import (`summitbot import`
or a file sent to the bot) come here, so every affected delegate gets one message listing
all of their changed sessions, in their language, whatever the change came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.delivery.outbox import Kind, Outgoing, enqueue
from bot.domain.changes import SessionChanged
from bot.i18n import Catalogs
from bot.storage.database import Transaction
from bot.storage.recipients import Recipient, holders
from bot.storage.venue import rooms_by_key
from bot.views import notices as views


@dataclass(frozen=True, slots=True)
class NoticeSettings:
    catalogs: Catalogs
    discreet: bool


async def queue_change_notices(
    tx: Transaction, changed: Sequence[SessionChanged], settings: NoticeSettings, now: float
) -> int:
    """Queue one notice per affected delegate; returns how many delegates are told."""
    if not changed:
        return 0
    by_session = await holders(tx, [item.after.id for item in changed])
    rooms = await rooms_by_key(tx)
    per_delegate: dict[str, tuple[Recipient, list[SessionChanged]]] = {}
    for item in changed:
        for person in by_session[item.after.id]:
            per_delegate.setdefault(person.delegate_id, (person, []))[1].append(item)
    messages: list[Outgoing] = []
    for person, items in per_delegate.values():
        t = settings.catalogs.get(person.language(settings.catalogs.default))
        items.sort(key=lambda item: (item.after.start, item.after.id))
        for reply in views.changes(t, items, discreet=settings.discreet, rooms=rooms):
            messages.append(
                Outgoing(
                    chat_id=person.user_id,
                    kind=Kind.CHANGE,
                    reply=reply,
                    delegate_id=person.delegate_id,
                )
            )
    await enqueue(tx, messages, now)
    return len(per_delegate)
