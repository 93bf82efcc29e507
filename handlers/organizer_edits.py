"""The ✏️ buttons of an organizer's /program: change a session without knowing its id.

Move asks for the room (the organizer types it), reschedule offers start times as
buttons (or takes typed ones), cancel asks for a confirmation, and "message its
attendees" takes the text and opens the broadcast preview for `session:ID`. Every step
goes through the same `ProgrammeEditor` as /move, /reschedule and /cancel, so delegates
get the same notices; organizer rights are checked again at every step.

What an organizer was asked to type lives in memory (`PendingEdits`) for a few minutes:
after a restart the question is simply gone, and nothing half-done was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.clock import Clock
from bot.domain.actors import telegram_actor
from bot.domain.broadcasts import Audience, AudienceKind
from bot.domain.changes import Refusal, TimeProblem
from bot.domain.models import Session
from bot.services.changes import BadTime, parse_new_times
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import send
from bot.views import browse as program_views
from bot.views import help as help_views
from bot.views import organizer_edits as views
from bot.views import programme_changes as change_views
from bot.views.session_keys import session_key
from handlers import broadcast, guide
from handlers.arguments import typed_room
from handlers.guards import organizer_button, organizers_only
from handlers.programme_changes import answer_change

# How long a question ("send the new room") waits for its answer.
PENDING_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class _Question:
    action: str
    session_id: str
    asked_at: float


class PendingEdits:
    """The one question each organizer was asked last, until answered or expired."""

    def __init__(self, clock: Clock) -> None:
        # Monotonic: a question's few minutes must not jump with the wall clock.
        self._clock = clock
        self._questions: dict[int, _Question] = {}

    def ask(self, user_id: int, action: str, session_id: str) -> None:
        self._questions[user_id] = _Question(action, session_id, self._clock.monotonic())

    def waiting(self, user_id: int) -> bool:
        question = self._questions.get(user_id)
        if question is None:
            return False
        if self._clock.monotonic() - question.asked_at > PENDING_SECONDS:
            del self._questions[user_id]
            return False
        return True

    def take(self, user_id: int) -> _Question | None:
        return self._questions.pop(user_id, None) if self.waiting(user_id) else None

    def drop(self, user_id: int) -> None:
        self._questions.pop(user_id, None)


class _Answering(filters.MessageFilter):
    """Text from an organizer the bot asked a question; a command instead drops it."""

    def __init__(self, pending: PendingEdits) -> None:
        super().__init__(name="answering_an_edit")
        self._pending = pending

    def filter(self, message: Message) -> bool:
        user = message.from_user
        if user is None or not self._pending.waiting(user.id):
            return False
        if (message.text or "").startswith("/"):
            # Checked before any command handler: the organizer moved on.
            self._pending.drop(user.id)
            return False
        return True


async def _session_by_key(context: BotContext, key: str) -> Session | None:
    """The session a button names. Organizers may change any session, so any id matches."""
    programme = context.services.programme
    for session_id in await programme.ids():
        if session_key(session_id) == key:
            return await programme.get(session_id)
    return None


Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def _handlers_for(pending: PendingEdits) -> tuple[Callback, Callback]:
    @organizer_button(lambda t: help_views.organizers_only(t).text)
    async def edit_button(update: Update, context: BotContext, viewer: Viewer) -> None:
        """A ✏️ button or one of the steps after it."""
        query = update.callback_query
        assert query is not None and query.data is not None
        action, _, rest = query.data.removeprefix(views.EDIT_CALLBACK).partition(":")
        key, _, argument = rest.partition(":")
        session = await _session_by_key(context, key)
        if session is None:
            await query.answer(program_views.not_available(viewer.t), show_alert=True)
            return
        await _step(update, context, viewer, pending, action, session, argument)

    async def answer(update: Update, context: BotContext) -> None:
        """The room, time or message text an organizer was asked for."""
        user = update.effective_user
        # Taken before the rights are checked: someone no longer an organizer is refused
        # once, and their question is gone with it.
        question = pending.take(user.id) if user is not None else None
        await _answer(update, context, question)

    @organizers_only
    async def _answer(
        update: Update, context: BotContext, viewer: Viewer, question: _Question | None
    ) -> None:
        message = update.effective_message
        if message is None:
            return
        if question is None:
            # The question expired since the filter looked: this is ordinary text again.
            await guide.unknown(update, context)
            return
        session = await context.services.programme.get(question.session_id)
        if session is None:
            await send(update, change_views.refused(viewer.t, Refusal.UNKNOWN, question.session_id))
            return
        await _typed(update, context, viewer, pending, question.action, session, message.text or "")

    return edit_button, answer


async def _step(
    update: Update,
    context: BotContext,
    viewer: Viewer,
    pending: PendingEdits,
    action: str,
    session: Session,
    argument: str,
) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    t = viewer.t
    now = services.clock.now()
    if action == views.MENU:
        await query.answer()
        await send(update, views.menu(t, session))
    elif action == views.MOVE:
        await query.answer()
        pending.ask(viewer.user_id, views.MOVE, session.id)
        await send(update, views.ask_room(t, session))
    elif action == views.RESCHEDULE:
        await query.answer()
        pending.ask(viewer.user_id, views.RESCHEDULE, session.id)
        await send(update, views.ask_time(t, session, views.time_options(session, now)))
    elif action == views.AT_TIME and argument.isdecimal():
        await query.answer()
        pending.drop(viewer.user_id)
        start = datetime.fromtimestamp(int(argument), UTC)
        result = await services.editor.reschedule(
            session.id, start, None, telegram_actor(viewer.user_id), now
        )
        await answer_change(update, context, viewer, result, session.id, "reschedule", edit=True)
    elif action == views.CANCEL:
        await query.answer()
        await send(update, views.confirm_cancel(t, session))
    elif action == views.CONFIRM_CANCEL:
        await query.answer()
        result = await services.editor.cancel(session.id, telegram_actor(viewer.user_id), now)
        await answer_change(update, context, viewer, result, session.id, "cancel", edit=True)
    elif action == views.KEEP:
        await query.answer(views.nothing_changed(t))
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
    elif action == views.MESSAGE:
        await query.answer()
        pending.ask(viewer.user_id, views.MESSAGE, session.id)
        await send(update, views.ask_message(t, session))
    else:
        await query.answer(program_views.not_available(t), show_alert=True)


async def _typed(
    update: Update,
    context: BotContext,
    viewer: Viewer,
    pending: PendingEdits,
    action: str,
    session: Session,
    text: str,
) -> None:
    services = context.services
    actor = telegram_actor(viewer.user_id)
    now = services.clock.now()
    if action == views.MOVE:
        room = typed_room(text)
        if room is None:
            pending.ask(viewer.user_id, views.MOVE, session.id)
            await send(update, views.bad_room(viewer.t))
            return
        result = await services.editor.move(session.id, room, actor, now)
        await answer_change(update, context, viewer, result, session.id, "move")
    elif action == views.RESCHEDULE:
        words = text.split()
        zone = services.settings.summit.timezone
        times = (
            parse_new_times(words[0], words[1] if len(words) == 2 else None, session.start, zone)
            if len(words) in (1, 2)
            else BadTime(text.strip(), TimeProblem.UNREADABLE)
        )
        if isinstance(times, BadTime):
            pending.ask(viewer.user_id, views.RESCHEDULE, session.id)
            await send(update, change_views.bad_time(viewer.t, times.text[:40], times.problem))
            return
        start, end = times
        result = await services.editor.reschedule(session.id, start, end, actor, now)
        await answer_change(update, context, viewer, result, session.id, "reschedule")
    else:
        audience = Audience(AudienceKind.SESSION, session.id)
        await broadcast.preview(update, context, viewer, audience, text.strip(), urgent=False)


def handlers(clock: Clock) -> list[BaseHandler[Update, BotContext, None]]:
    """Before every other private-chat handler: an awaited answer is not "unknown text"."""
    pending = PendingEdits(clock)
    edit_button, answer = _handlers_for(pending)
    waiting = _Answering(pending)
    return [
        CallbackQueryHandler(edit_button, pattern=f"^{views.EDIT_CALLBACK}"),
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & waiting, answer),
    ]
