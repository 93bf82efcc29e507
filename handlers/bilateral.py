"""/bilateral and /bilaterals: heads of delegation request, answer and cancel meetings.

A head's form in progress (`Draft`) lives in memory, one per Telegram user; each form
has a random nonce that its buttons carry, so a button of an older form (or a forged
one) finds nothing and says the form is closed. Buttons about a request carry only its
number: the service looks it up for the presser's own delegation, so a request of other
delegations reads exactly like one that does not exist.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.bilaterals import Booking, Slot
from bot.domain.models import Delegate
from bot.domain.rooms import room_key
from bot.services.bilaterals import Lost, Refusal
from bot.storage.delegations import DelegationRef
from bot.telegram.context import BotContext, Viewer
from bot.telegram.sending import edit_or_send, send
from bot.views import bilaterals as views
from bot.views.reply import Reply
from handlers.common import registered_viewer

MAX_TOPIC = 200
MAX_REASON = 200


@dataclass
class Draft:
    """A head's request, answer or proposal being put together with buttons."""

    mode: str
    """"request", "accept", "propose" or "reason" (a decline waiting for its reason)."""
    own: DelegationRef
    step: str
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(6))
    query: str = ""
    page: int = 0
    other: DelegationRef | None = None
    candidates: list[DelegationRef] = field(default_factory=list)
    members: list[Delegate] = field(default_factory=list)
    chosen: set[str] = field(default_factory=set)
    topic: str = ""
    slots: list[Slot] = field(default_factory=list)
    booking: Booking | None = None


DRAFTS: dict[int, Draft] = {}


class _AwaitingText(filters.MessageFilter):
    """A text message from a head whose form waits for typed text (a name, topic, reason)."""

    def filter(self, message: object) -> bool:
        user = getattr(message, "from_user", None)
        draft = DRAFTS.get(user.id) if user is not None else None
        return draft is not None and draft.step in {"delegation", "topic", "reason"}


AWAITING_TEXT = _AwaitingText()


async def _head(update: Update, context: BotContext) -> tuple[Viewer, DelegationRef] | None:
    """The viewer and the delegation they head; anyone else is told and gets None."""
    viewer = await registered_viewer(update, context)
    if viewer is None:
        return None
    services = context.services
    if not services.settings.bilaterals.enabled:
        await send(update, views.switched_off(viewer.t))
        return None
    own = await services.bilaterals.head_of(viewer.delegate)
    if own is None:
        await send(update, views.heads_only(viewer.t))
        return None
    return viewer, own


def _matching(candidates: list[DelegationRef], query: str) -> list[DelegationRef]:
    wanted = room_key(query)
    return [d for d in candidates if wanted in room_key(d.name)] if wanted else candidates


def _delegation_page(viewer: Viewer, draft: Draft) -> Reply:
    shown = _matching(draft.candidates, draft.query)
    return views.choose_delegation(
        viewer.t, [(d.id, d.name) for d in shown], draft.page, draft.query, draft.nonce
    )


async def start_request(update: Update, context: BotContext) -> None:
    """`/bilateral`: choose the other delegation, the participants, a topic and a slot."""
    found = await _head(update, context)
    if found is None:
        return
    viewer, own = found
    draft = Draft(mode="request", own=own, step="delegation")
    draft.candidates = await context.services.bilaterals.delegations(excluding=own.id)
    DRAFTS[viewer.user_id] = draft
    await send(update, _delegation_page(viewer, draft))


async def typed_text(update: Update, context: BotContext) -> None:
    """Text typed into a form: part of a delegation's name, the topic, or a reason."""
    message = update.effective_message
    viewer = await context.viewer(update)
    draft = DRAFTS.get(viewer.user_id)
    if message is None or draft is None or not message.text:
        return
    text = " ".join(message.text.split())
    if draft.step == "delegation":
        draft.query, draft.page = text[:60], 0
        await send(update, _delegation_page(viewer, draft))
    elif draft.step == "topic":
        draft.topic = text[:MAX_TOPIC]
        await _offer_slots(update, context, viewer, draft, edit=False)
    elif draft.step == "reason" and draft.booking is not None:
        del DRAFTS[viewer.user_id]
        await _decline(update, context, viewer, draft.own, draft.booking.id, text[:MAX_REASON])


async def _offer_slots(
    update: Update,
    context: BotContext,
    viewer: Viewer,
    draft: Draft,
    *,
    edit: bool,
    taken: bool = False,
) -> None:
    services = context.services
    now = services.clock.now()
    if draft.mode == "propose" and draft.booking is not None:
        slots = await services.bilaterals.slots_for_proposal(
            draft.booking, sorted(draft.chosen), now
        )
        other = draft.booking.requester
    else:
        assert draft.other is not None
        slots = await services.bilaterals.slots_for_request(
            draft.own.id, draft.other.id, sorted(draft.chosen), now
        )
        other = draft.other.name
    draft.slots, draft.step = slots, "slot"
    reply = views.choose_slot(viewer.t, other, slots, draft.nonce, taken=taken)
    await (edit_or_send(update, [reply]) if edit else send(update, reply))


async def wizard_button(update: Update, context: BotContext) -> None:
    """A button of a form: `bl:w:NONCE:ACTION[:ARGUMENT]`."""
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = await context.viewer(update)
    parts = query.data.split(":")
    draft = DRAFTS.get(viewer.user_id)
    if draft is None or len(parts) < 4 or parts[2] != draft.nonce:
        await query.answer(views.wizard_closed(viewer.t), show_alert=True)
        return
    action, argument = parts[3], parts[4] if len(parts) > 4 else ""
    try:
        number = int(argument) if argument else 0
    except ValueError:
        number = -1
    t = viewer.t
    services = context.services
    if action == "x":
        del DRAFTS[viewer.user_id]
        await query.answer()
        await edit_or_send(update, [views.cancelled_wizard(t)])
    elif action == "g" and draft.step == "delegation":
        draft.page = number
        await query.answer()
        await edit_or_send(update, [_delegation_page(viewer, draft)])
    elif action == "d" and draft.step == "delegation":
        other = next((d for d in draft.candidates if d.id == number), None)
        if other is None:
            await query.answer(views.wizard_closed(t), show_alert=True)
            return
        draft.other, draft.step = other, "people"
        draft.members = await services.bilaterals.members(draft.own.id)
        await query.answer()
        await edit_or_send(
            update,
            [views.choose_participants(t, other.name, draft.members, draft.chosen, draft.nonce)],
        )
    elif action == "t" and draft.step == "people" and 0 <= number < len(draft.members):
        member = draft.members[number].id
        draft.chosen.symmetric_difference_update({member})
        await query.answer()
        await edit_or_send(
            update,
            [
                views.choose_participants(
                    t, _other_name(draft), draft.members, draft.chosen, draft.nonce
                )
            ],
        )
    elif action == "n" and draft.step == "people":
        if not draft.chosen:
            await query.answer(views.choose_someone(t), show_alert=True)
            return
        await query.answer()
        if draft.mode == "request":
            draft.step = "topic"
            await edit_or_send(update, [views.ask_topic(t, draft.nonce)])
        elif draft.mode == "accept":
            await _accept(update, context, viewer, draft)
        else:
            await _offer_slots(update, context, viewer, draft, edit=True)
    elif action == "k" and draft.step == "topic":
        await query.answer()
        await _offer_slots(update, context, viewer, draft, edit=True)
    elif action == "s" and draft.step == "slot" and 0 <= number < len(draft.slots):
        await query.answer()
        await _book(update, context, viewer, draft, draft.slots[number])
    else:
        await query.answer(views.wizard_closed(t), show_alert=True)


def _other_name(draft: Draft) -> str:
    if draft.other is not None:
        return draft.other.name
    return draft.booking.requester if draft.booking is not None else ""


async def _book(
    update: Update, context: BotContext, viewer: Viewer, draft: Draft, slot: Slot
) -> None:
    services = context.services
    delegate = viewer.delegate
    assert delegate is not None
    now = services.clock.now()
    if draft.mode == "propose" and draft.booking is not None:
        original = draft.booking
        result = await services.bilaterals.request(
            delegate,
            draft.own,
            DelegationRef(original.requester_id, original.requester),
            sorted(draft.chosen),
            original.topic,
            slot,
            now,
            replaces=original,
            counterpart_people=[p.delegate_id for p in original.side(original.requester_id)],
        )
    else:
        assert draft.other is not None
        result = await services.bilaterals.request(
            delegate, draft.own, draft.other, sorted(draft.chosen), draft.topic, slot, now
        )
    if isinstance(result, Lost):
        if draft.mode == "propose" and not result.slots:
            DRAFTS.pop(viewer.user_id, None)
            await edit_or_send(update, [Reply(views.not_available(viewer.t))])
            return
        draft.slots = result.slots
        other = _other_name(draft)
        await edit_or_send(
            update, [views.choose_slot(viewer.t, other, result.slots, draft.nonce, taken=True)]
        )
        return
    DRAFTS.pop(viewer.user_id, None)
    services.worker.wake()
    await edit_or_send(update, [views.request_sent(viewer.t, result)])


async def _accept(update: Update, context: BotContext, viewer: Viewer, draft: Draft) -> None:
    services = context.services
    assert viewer.delegate is not None and draft.booking is not None
    result = await services.bilaterals.accept(
        viewer.delegate, draft.own, draft.booking.id, sorted(draft.chosen), services.clock.now()
    )
    if result is Refusal.PEOPLE_BUSY or result is Refusal.TOO_MANY:
        text = (
            views.people_busy(viewer.t)
            if result is Refusal.PEOPLE_BUSY
            else views.too_many(viewer.t)
        )
        await send(update, Reply(text))
        return
    DRAFTS.pop(viewer.user_id, None)
    if isinstance(result, Refusal):
        await edit_or_send(update, [Reply(views.not_available(viewer.t))])
        return
    services.worker.wake()
    services.scheduler.request_replan()
    await edit_or_send(update, [views.answered_push(viewer.t, result, discreet=False)])


async def _decline(
    update: Update,
    context: BotContext,
    viewer: Viewer,
    own: DelegationRef,
    booking_id: int,
    reason: str,
) -> None:
    services = context.services
    assert viewer.delegate is not None
    result = await services.bilaterals.decline(
        viewer.delegate, own, booking_id, reason, services.clock.now()
    )
    if isinstance(result, Refusal):
        await send(update, Reply(views.not_available(viewer.t)))
        return
    services.worker.wake()
    await send(update, views.answered_push(viewer.t, result, discreet=False))


async def booking_button(update: Update, context: BotContext) -> None:
    """A button about one request: `bl:ACTION:NUMBER` (open, accept, decline, propose, cancel)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = await context.viewer(update)
    t = viewer.t
    services = context.services
    parts = query.data.split(":")
    own = await services.bilaterals.head_of(viewer.delegate)
    try:
        action, booking_id = parts[1], int(parts[2])
    except (IndexError, ValueError):
        action, booking_id = "", 0
    now = services.clock.now()
    booking = (
        await services.bilaterals.visible(booking_id, own.id, now) if own is not None else None
    )
    if own is None or booking is None or viewer.delegate is None:
        await query.answer(views.not_available(t), show_alert=True)
        return
    if action == "c":
        result = await services.bilaterals.cancel(viewer.delegate, own, booking_id, now)
        if isinstance(result, Refusal):
            await query.answer(views.not_available(t), show_alert=True)
            return
        await query.answer(views.cancelled(t), show_alert=True)
        services.worker.wake()
        services.scheduler.request_replan()
        await edit_or_send(
            update,
            views.delegation_bookings(
                t, await services.bilaterals.of_delegation(own.id, now), own.id
            ),
        )
        return
    # Everything else answers a request: only the asked delegation, only while it waits.
    if booking.other_id != own.id or not _waiting(booking):
        await query.answer(views.not_available(t), show_alert=True)
        return
    await query.answer()
    if action == "v":
        await edit_or_send(update, [views.request_details(t, booking)])
    elif action in ("a", "o"):
        draft = Draft(
            mode="accept" if action == "a" else "propose", own=own, step="people", booking=booking
        )
        draft.members = await services.bilaterals.members(own.id)
        draft.chosen = {p.delegate_id for p in booking.side(own.id)}
        DRAFTS[viewer.user_id] = draft
        await edit_or_send(
            update,
            [
                views.choose_participants(
                    t, booking.requester, draft.members, draft.chosen, draft.nonce
                )
            ],
        )
    elif action == "d":
        DRAFTS[viewer.user_id] = Draft(mode="reason", own=own, step="reason", booking=booking)
        await edit_or_send(update, [views.ask_reason(t, booking.id)])
    elif action == "dn":
        DRAFTS.pop(viewer.user_id, None)
        await _decline(update, context, viewer, own, booking.id, "")


def _waiting(booking: Booking) -> bool:
    return booking.state.value == "pending"


async def list_bookings(update: Update, context: BotContext) -> None:
    """`/bilaterals`: the delegation's requests and meetings, with buttons to cancel."""
    found = await _head(update, context)
    if found is None:
        return
    viewer, own = found
    services = context.services
    bookings = await services.bilaterals.of_delegation(own.id, services.clock.now())
    await send(update, views.delegation_bookings(viewer.t, bookings, own.id))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("bilateral", start_request, filters=private),
        CommandHandler("bilaterals", list_bookings, filters=private),
        CallbackQueryHandler(wizard_button, pattern=f"^{views.CALLBACK}w:"),
        CallbackQueryHandler(booking_button, pattern=f"^{views.CALLBACK}(v|a|d|dn|o|c):"),
    ]


def text_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Before the help fallback: typed text a form waits for."""
    return [
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & AWAITING_TEXT, typed_text
        )
    ]
