"""What a bilateral booking does outside its own row: the meeting's session and the messages.

A confirmed meeting becomes an `invited` session written the way an import writes one,
with the participants of both sides on its attendance; from then on it is a session like
any other (agenda, reminders, calendar, change notices). Everything here runs inside the
caller's transaction, so a booking and its session and messages commit together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.domain.bilaterals import Booking, BookingState
from bot.domain.changes import SessionChanged, changes_between
from bot.domain.models import Audience, Session, SessionKind, SessionStatus
from bot.i18n import Catalogs, Translator, negotiate
from bot.reply import Reply
from bot.services.notices import NoticeSettings, queue_change_notices
from bot.storage import attendance, programme_writes
from bot.storage import bilaterals as store
from bot.storage import delegations as people
from bot.storage.database import Transaction
from bot.storage.outbox import Kind, Outgoing, enqueue
from bot.storage.programme import sessions_by_ids
from bot.storage.recipients import Recipient
from bot.views import bilaterals as views

SESSION_PREFIX = "bilateral-"


def session_id_of(booking_id: int) -> str:
    return f"{SESSION_PREFIX}{booking_id}"


class Meetings:
    def __init__(
        self, catalogs: Catalogs, notices: NoticeSettings, organizers: Sequence[int]
    ) -> None:
        self._catalogs = catalogs
        self._notices = notices
        self._organizers = organizers

    async def book(self, tx: Transaction, booking: Booking, moment: float) -> Booking:
        """The confirmed meeting becomes an invited session, written as an import writes one."""
        session_id = session_id_of(booking.id)
        titles = {
            language: self._catalogs.get(language)
            .translations.gettext("Bilateral meeting: {a} – {b}")
            .format(a=booking.requester, b=booking.other)
            for language in self._catalogs.languages
        }
        default = self._catalogs.get(self._catalogs.default)
        session = Session(
            id=session_id,
            title=default.translations.gettext("Bilateral meeting: {a} – {b}").format(
                a=booking.requester, b=booking.other
            ),
            start=booking.start,
            end=booking.end,
            room=booking.room,
            kind=SessionKind.BILATERAL,
            audience=Audience.INVITED,
            description=booking.topic,
            titles=titles,
        )
        await programme_writes.write_sessions(tx, [session], source="")
        pairs = list(dict.fromkeys((p.delegate_id, session_id) for p in booking.participants))
        if pairs:
            await attendance.add_for_organizers(tx, pairs)
        await store.link_session(tx, booking.id, session_id)
        discreet = self._notices.discreet
        final = replace(booking, session_id=session_id, state=BookingState.CONFIRMED)
        await self.tell(
            tx,
            await people.recipients_of(tx, [p.delegate_id for p in booking.participants]),
            lambda t: views.on_agenda_push(t, final, discreet=discreet),
            moment,
        )
        return final

    async def cancel_session(self, tx: Transaction, booking: Booking, moment: float) -> None:
        """A cancelled meeting's session is cancelled the way organizers cancel one."""
        if booking.session_id is None:
            return
        found = (await sessions_by_ids(tx, [booking.session_id])).get(booking.session_id)
        if found is None or found.cancelled:
            return
        after = replace(found, status=SessionStatus.CANCELLED)
        await programme_writes.cancel(tx, found.id)
        await queue_change_notices(
            tx, [SessionChanged(found, after, changes_between(found, after))], self._notices, moment
        )

    async def ask_organizers(self, tx: Transaction, booking: Booking, moment: float) -> None:
        """With approval: every organizer hears that a meeting waits for /bookings."""
        messages = []
        for user_id, language in await people.organizers(tx, self._organizers):
            t = self._catalogs.get(negotiate(language, default=self._catalogs.default))
            messages.append(
                Outgoing(
                    chat_id=user_id, kind=Kind.CHANGE, reply=views.awaiting_approval(t, booking)
                )
            )
        await enqueue(tx, messages, moment)

    async def tell(
        self,
        tx: Transaction,
        recipients: Sequence[Recipient],
        render: Callable[[Translator], Reply],
        moment: float,
    ) -> None:
        """One message to each of `recipients`, rendered in their language."""
        messages = []
        for person in recipients:
            t = self._catalogs.get(person.language(self._catalogs.default))
            messages.append(
                Outgoing(
                    chat_id=person.user_id,
                    kind=Kind.CHANGE,
                    reply=render(t),
                    delegate_id=person.delegate_id,
                )
            )
        await enqueue(tx, messages, moment)
