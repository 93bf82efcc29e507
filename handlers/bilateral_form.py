"""/bilateral's form: a head's request, answer or proposal put together with buttons.

A head's form in progress (`Draft`) lives in memory, one per Telegram user; each form
has a random nonce that its buttons carry, so a button of an older form (or a forged
one) finds nothing and says the form is closed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import filters

from bot.domain.bilaterals import Booking, DelegationRef, Slot
from bot.domain.models import Delegate
from bot.domain.rooms import room_key
from bot.reply import Reply
from bot.services.bilaterals import Lost, Refusal
from bot.telegram.context import BotContext, RegisteredViewer, Viewer
from bot.telegram.sending import edit_or_send, send
from bot.views import bilateral_form as form_views
from bot.views import bilaterals as views

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


def matching(candidates: list[DelegationRef], query: str) -> list[DelegationRef]:
    wanted = room_key(query)
    return [d for d in candidates if wanted in room_key(d.name)] if wanted else candidates


def delegation_page(viewer: Viewer | RegisteredViewer, draft: Draft) -> Reply:
    shown = matching(draft.candidates, draft.query)
    return form_views.choose_delegation(
        viewer.t, [(d.id, d.name) for d in shown], draft.page, draft.query, draft.nonce
    )


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
        await send(update, delegation_page(viewer, draft))
    elif draft.step == "topic":
        draft.topic = text[:MAX_TOPIC]
        await _offer_slots(update, context, viewer, draft, edit=False)
    elif draft.step == "reason" and draft.booking is not None:
        del DRAFTS[viewer.user_id]
        await decline(update, context, viewer, draft.own, draft.booking.id, text[:MAX_REASON])


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
    reply = form_views.choose_slot(viewer.t, other, slots, draft.nonce, taken=taken)
    await (edit_or_send(update, [reply]) if edit else send(update, reply))


async def wizard_button(update: Update, context: BotContext) -> None:
    """A button of a form: `bl:w:NONCE:ACTION[:ARGUMENT]`."""
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = await context.viewer(update)
    parts = query.data.split(":")
    draft = DRAFTS.get(viewer.user_id)
    if draft is None or len(parts) < 4 or parts[2] != draft.nonce:
        await query.answer(form_views.wizard_closed(viewer.t), show_alert=True)
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
        await edit_or_send(update, [form_views.cancelled_wizard(t)])
    elif action == "g" and draft.step == "delegation":
        draft.page = number
        await query.answer()
        await edit_or_send(update, [delegation_page(viewer, draft)])
    elif action == "d" and draft.step == "delegation":
        other = next((d for d in draft.candidates if d.id == number), None)
        if other is None:
            await query.answer(form_views.wizard_closed(t), show_alert=True)
            return
        draft.other, draft.step = other, "people"
        draft.members = await services.bilaterals.members(draft.own.id)
        await query.answer()
        await edit_or_send(
            update,
            [
                form_views.choose_participants(
                    t, other.name, draft.members, draft.chosen, draft.nonce
                )
            ],
        )
    elif action == "t" and draft.step == "people" and 0 <= number < len(draft.members):
        member = draft.members[number].id
        draft.chosen.symmetric_difference_update({member})
        await query.answer()
        await edit_or_send(
            update,
            [
                form_views.choose_participants(
                    t, _other_name(draft), draft.members, draft.chosen, draft.nonce
                )
            ],
        )
    elif action == "n" and draft.step == "people":
        if not draft.chosen:
            await query.answer(form_views.choose_someone(t), show_alert=True)
            return
        await query.answer()
        if draft.mode == "request":
            draft.step = "topic"
            await edit_or_send(update, [form_views.ask_topic(t, draft.nonce)])
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
        await query.answer(form_views.wizard_closed(t), show_alert=True)


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
            update, [form_views.choose_slot(viewer.t, other, result.slots, draft.nonce, taken=True)]
        )
        return
    DRAFTS.pop(viewer.user_id, None)
    services.worker.wake()
    await edit_or_send(update, [form_views.request_sent(viewer.t, result)])


async def _accept(update: Update, context: BotContext, viewer: Viewer, draft: Draft) -> None:
    services = context.services
    assert viewer.delegate is not None and draft.booking is not None
    result = await services.bilaterals.accept(
        viewer.delegate, draft.own, draft.booking.id, sorted(draft.chosen), services.clock.now()
    )
    if result is Refusal.PEOPLE_BUSY or result is Refusal.TOO_MANY:
        text = (
            form_views.people_busy(viewer.t)
            if result is Refusal.PEOPLE_BUSY
            else form_views.too_many(viewer.t)
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


async def decline(
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
