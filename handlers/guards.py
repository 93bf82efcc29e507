"""Who may use a command, checked once per handler by a decorator (as in PTB's rules-bot).

A guarded handler is written for the people it serves: `@registered` hands it a
`RegisteredViewer` (the delegate is certain), `@organizers_only` an organizer's `Viewer`.
Anyone else gets the same answer every such command gave before: help with the way to
register, or the organizers-only refusal. The decorated function keeps any further
parameters, so an inner step can be guarded as well as a PTB callback.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

from telegram import Update
from telegram.constants import ChatType

from bot.i18n import Translator
from bot.telegram.context import BotContext, RegisteredViewer, Viewer
from bot.telegram.sending import send
from bot.views import help as help_views

P = ParamSpec("P")

Guarded = Callable[Concatenate[Update, BotContext, P], Coroutine[Any, Any, None]]
"""What PTB calls: a coroutine function of the update and the context (and any extras)."""


def in_private_chat(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def summit_name(context: BotContext) -> str:
    return context.services.settings.summit.name


async def _refuse_guest(update: Update, context: BotContext, viewer: Viewer) -> None:
    await send(
        update, help_views.help_text(viewer.t, registered=False, summit=summit_name(context))
    )


async def _alert(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)


Admitted = TypeVar("Admitted", Viewer, RegisteredViewer)
"""What a guard hands the handler: the viewer, or the delegate it is certain of."""


def _guarded(
    handler: Callable[Concatenate[Update, BotContext, Admitted, P], Awaitable[None]],
    admit: Callable[[Update, Viewer], Admitted | None],
    refuse: Callable[[Update, BotContext, Viewer], Awaitable[None]],
) -> Guarded[P]:
    """The one shape of every guard: `admit` picks what the handler is given, or None for
    someone it does not serve, who gets `refuse` and nothing else."""

    @functools.wraps(handler)
    async def guarded(
        update: Update, context: BotContext, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        viewer = await context.viewer(update)
        admitted = admit(update, viewer)
        if admitted is None:
            await refuse(update, context, viewer)
            return
        await handler(update, context, admitted, *args, **kwargs)

    return guarded


def _delegate(update: Update, viewer: Viewer) -> RegisteredViewer | None:
    return viewer.registered()


def _delegate_or_organizer(update: Update, viewer: Viewer) -> Viewer | None:
    return viewer if viewer.delegate is not None or viewer.organizer else None


def _organizer(update: Update, viewer: Viewer) -> Viewer | None:
    return viewer if viewer.organizer else None


def _delegate_in_private_chat(update: Update, viewer: Viewer) -> RegisteredViewer | None:
    return viewer.registered() if in_private_chat(update) else None


async def _refuse_non_organizer(update: Update, context: BotContext, viewer: Viewer) -> None:
    await send(update, help_views.organizers_only(viewer.t))


async def _alert_not_registered(update: Update, context: BotContext, viewer: Viewer) -> None:
    await _alert(update, help_views.not_registered_text(viewer.t))


def registered(
    handler: Callable[Concatenate[Update, BotContext, RegisteredViewer, P], Awaitable[None]],
) -> Guarded[P]:
    """Only registered delegates; anyone else is told how to register."""
    return _guarded(handler, _delegate, _refuse_guest)


def registered_or_organizer(
    handler: Callable[Concatenate[Update, BotContext, Viewer, P], Awaitable[None]],
) -> Guarded[P]:
    """Registered delegates, and organizers even without a delegate record (an organizer
    named only in the configuration); anyone else is told how to register."""
    return _guarded(handler, _delegate_or_organizer, _refuse_guest)


def organizers_only(
    handler: Callable[Concatenate[Update, BotContext, Viewer, P], Awaitable[None]],
) -> Guarded[P]:
    """Only organizers; anyone else gets a refusal and nothing else."""
    return _guarded(handler, _organizer, _refuse_non_organizer)


def registered_button(
    handler: Callable[Concatenate[Update, BotContext, RegisteredViewer, P], Awaitable[None]],
) -> Guarded[P]:
    """A button only a registered delegate in their private chat may press; anyone else
    gets an alert saying how to register (a button cannot answer with a message)."""
    return _guarded(handler, _delegate_in_private_chat, _alert_not_registered)


def organizer_button(
    refusal: Callable[[Translator], str],
) -> Callable[[Callable[Concatenate[Update, BotContext, Viewer, P], Awaitable[None]]], Guarded[P]]:
    """A button only organizers may press: their rights are checked again at every press,
    since the message may be older than a change of rights. Anyone else gets `refusal`."""

    async def refuse(update: Update, context: BotContext, viewer: Viewer) -> None:
        await _alert(update, refusal(viewer.t))

    def decorate(
        handler: Callable[Concatenate[Update, BotContext, Viewer, P], Awaitable[None]],
    ) -> Guarded[P]:
        return _guarded(handler, _organizer, refuse)

    return decorate
