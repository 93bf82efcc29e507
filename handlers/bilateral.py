"""/bilateral and /bilaterals: heads of delegation request, answer and cancel meetings.

The form itself (choosing a delegation, participants, a topic, a slot) is in
`handlers.bilateral_form`. Buttons about a request carry only its
number: the service looks it up for the presser's own delegation, so a request of other
delegations reads exactly like one that does not exist.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.bilaterals import Booking, DelegationRef
from bot.services.bilaterals import Refusal
from bot.telegram.context import BotContext, RegisteredViewer
from bot.telegram.sending import edit_or_send, send
from bot.views import bilateral_form as form_views
from bot.views import bilaterals as views
from handlers.bilateral_form import (
    AWAITING_TEXT,
    DRAFTS,
    Draft,
    decline,
    delegation_page,
    typed_text,
    wizard_button,
)
from handlers.guards import registered


async def _head(
    update: Update, context: BotContext, viewer: RegisteredViewer
) -> DelegationRef | None:
    """The delegation the viewer heads; anyone else is told and gets None."""
    services = context.services
    if not services.settings.bilaterals.enabled:
        await send(update, views.switched_off(viewer.t))
        return None
    own = await services.bilaterals.head_of(viewer.delegate)
    if own is None:
        await send(update, views.heads_only(viewer.t))
        return None
    return own


@registered
async def start_request(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """`/bilateral`: choose the other delegation, the participants, a topic and a slot."""
    own = await _head(update, context, viewer)
    if own is None:
        return
    draft = Draft(mode="request", own=own, step="delegation")
    draft.candidates = await context.services.bilaterals.delegations(excluding=own.id)
    DRAFTS[viewer.user_id] = draft
    await send(update, delegation_page(viewer, draft))


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
                form_views.choose_participants(
                    t, booking.requester, draft.members, draft.chosen, draft.nonce
                )
            ],
        )
    elif action == "d":
        DRAFTS[viewer.user_id] = Draft(mode="reason", own=own, step="reason", booking=booking)
        await edit_or_send(update, [form_views.ask_reason(t, booking.id)])
    elif action == "dn":
        DRAFTS.pop(viewer.user_id, None)
        await decline(update, context, viewer, own, booking.id, "")


def _waiting(booking: Booking) -> bool:
    return booking.state.value == "pending"


@registered
async def list_bookings(update: Update, context: BotContext, viewer: RegisteredViewer) -> None:
    """`/bilaterals`: the delegation's requests and meetings, with buttons to cancel."""
    own = await _head(update, context, viewer)
    if own is None:
        return
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
