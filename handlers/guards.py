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
from typing import Any, Concatenate, ParamSpec

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


def registered(
    handler: Callable[Concatenate[Update, BotContext, RegisteredViewer, P], Awaitable[None]],
) -> Guarded[P]:
    """Only registered delegates; anyone else is told how to register."""

    @functools.wraps(handler)
    async def guarded(
        update: Update, context: BotContext, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        viewer = await context.viewer(update)
        delegate = viewer.registered()
        if delegate is None:
            await _refuse_guest(update, context, viewer)
            return
        await handler(update, context, delegate, *args, **kwargs)

    return guarded


def registered_or_organizer(
    handler: Callable[Concatenate[Update, BotContext, Viewer, P], Awaitable[None]],
) -> Guarded[P]:
    """Registered delegates, and organizers even without a delegate record (an organizer
    named only in the configuration); anyone else is told how to register."""

    @functools.wraps(handler)
    async def guarded(
        update: Update, context: BotContext, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        viewer = await context.viewer(update)
        if viewer.delegate is None and not viewer.organizer:
            await _refuse_guest(update, context, viewer)
            return
        await handler(update, context, viewer, *args, **kwargs)

    return guarded


def organizers_only(
    handler: Callable[Concatenate[Update, BotContext, Viewer, P], Awaitable[None]],
) -> Guarded[P]:
    """Only organizers; anyone else gets a refusal and nothing else."""

    @functools.wraps(handler)
    async def guarded(
        update: Update, context: BotContext, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        viewer = await context.viewer(update)
        if not viewer.organizer:
            await send(update, help_views.organizers_only(viewer.t))
            return
        await handler(update, context, viewer, *args, **kwargs)

    return guarded


def registered_button(
    handler: Callable[Concatenate[Update, BotContext, RegisteredViewer, P], Awaitable[None]],
) -> Guarded[P]:
    """A button only a registered delegate in their private chat may press; anyone else
    gets an alert saying how to register (a button cannot answer with a message)."""

    @functools.wraps(handler)
    async def guarded(
        update: Update, context: BotContext, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        viewer = await context.viewer(update)
        delegate = viewer.registered()
        if delegate is None or not in_private_chat(update):
            await _alert(update, help_views.not_registered_text(viewer.t))
            return
        await handler(update, context, delegate, *args, **kwargs)

    return guarded


def organizer_button(
    refusal: Callable[[Translator], str],
) -> Callable[[Callable[Concatenate[Update, BotContext, Viewer, P], Awaitable[None]]], Guarded[P]]:
    """A button only organizers may press: their rights are checked again at every press,
    since the message may be older than a change of rights. Anyone else gets `refusal`."""

    def decorate(
        handler: Callable[Concatenate[Update, BotContext, Viewer, P], Awaitable[None]],
    ) -> Guarded[P]:
        @functools.wraps(handler)
        async def guarded(
            update: Update, context: BotContext, /, *args: P.args, **kwargs: P.kwargs
        ) -> None:
            viewer = await context.viewer(update)
            if not viewer.organizer:
                await _alert(update, refusal(viewer.t))
                return
            await handler(update, context, viewer, *args, **kwargs)

        return guarded

    return decorate


async def _alert(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
