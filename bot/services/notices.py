"""Turning programme changes into notices, queued in the transaction of the change.

Both a change made in chat (/move, /reschedule, /cancel) and an import (`summitbot import`
or a file sent to the bot) come here, so every affected delegate gets one message listing
all of their changed sessions, in their language, whatever the change came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.domain.changes import SessionChanged
from bot.domain.models import Session
from bot.i18n import Catalogs
from bot.storage import attendance
from bot.storage.database import Transaction
from bot.storage.outbox import Kind, Outgoing, enqueue
from bot.storage.recipients import Recipient, holders, registered
from bot.storage.rooms import rooms_by_key
from bot.views import notices as views

if TYPE_CHECKING:
    from bot.importers.report import SessionChange


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


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """A delegate's own agenda entry taken away because its session became invited."""

    delegate_id: str
    known_as: Session
    """The session as the delegate last knew it (its open title)."""


async def withdraw_self_added(tx: Transaction, changes: Sequence[SessionChange]) -> list[Withdrawn]:
    """Remove every delegate-chosen attendance row of an invited session.

    An invited session exists only for the delegates the organizers put on it: someone who
    added its open version from /program must not keep seeing it after it was made
    private (new title, secure room, other attendees). Rows the organizers made stay.
    """
    taken = await attendance.withdraw_delegate_choices_of_invited(tx)
    known = {change.before.id: change.before for change in changes if change.before is not None}
    return [
        Withdrawn(delegate_id, known[session_id])
        for delegate_id, session_id in taken
        if session_id in known
    ]


async def queue_withdrawal_notices(
    tx: Transaction, withdrawn: Sequence[Withdrawn], settings: NoticeSettings, now: float
) -> int:
    """Tell each delegate, under the title they knew, that it left their agenda."""
    if not withdrawn:
        return 0
    people = await registered(tx, sorted({item.delegate_id for item in withdrawn}))
    messages: list[Outgoing] = []
    for item in withdrawn:
        person = people.get(item.delegate_id)
        if person is None:
            continue
        t = settings.catalogs.get(person.language(settings.catalogs.default))
        messages.append(
            Outgoing(
                chat_id=person.user_id,
                kind=Kind.CHANGE,
                reply=views.withdrawn(t, item.known_as),
                delegate_id=person.delegate_id,
            )
        )
    await enqueue(tx, messages, now)
    return len(messages)
