"""Broadcasts and urgent notices: previews, the message delegates get, progress, status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.broadcasts import Audience, AudienceKind, Progress
from bot.domain.sources import SourceState
from bot.i18n import Html, Translator
from bot.reply import Button, Reply, split_message

BROADCAST_CALLBACK = "bc:"
ACK_CALLBACK = "ack:"
MAX_TEXT = 3500  # leaves room for the frame within Telegram's 4096 characters


def send_data(broadcast_id: int) -> str:
    return f"{BROADCAST_CALLBACK}go:{broadcast_id}"


def cancel_data(broadcast_id: int) -> str:
    return f"{BROADCAST_CALLBACK}no:{broadcast_id}"


def ack_data(broadcast_id: int) -> str:
    return f"{ACK_CALLBACK}{broadcast_id}"


def audience_label(t: Translator, audience: Audience) -> str:
    if audience.kind is AudienceKind.ALL:
        return t.gettext("all delegates")
    if audience.kind is AudienceKind.DELEGATION:
        return t.gettext("the delegation of {name}", name=audience.value)
    if audience.kind is AudienceKind.SESSION:
        return t.gettext("the delegates of session {id}", id=audience.value)
    return t.gettext("the delegates of track {name}", name=audience.value)


def announcement(t: Translator, text: str, *, urgent: bool, broadcast_id: int) -> Reply:
    """What a delegate receives, framed in their language; the organizer's text escaped."""
    if urgent:
        heading = t.gettext("🚨 <b>Urgent notice from the organizers</b>")
        button = Button(t.gettext("✅ Acknowledge"), ack_data(broadcast_id))
        return Reply(f"{heading}\n\n{t.value(text)}", ((button,),))
    heading = t.gettext("📢 <b>Announcement from the organizers</b>")
    return Reply(f"{heading}\n\n{t.value(text)}")


def preview(
    t: Translator,
    audience: Audience,
    text: str,
    recipients: int,
    *,
    urgent: bool,
    broadcast_id: int,
) -> Reply:
    title = (
        t.gettext("<b>Urgent notice — preview</b>")
        if urgent
        else t.gettext("<b>Broadcast — preview</b>")
    )
    count = t.ngettext(
        "To {audience}: {count} recipient.",
        "To {audience}: {count} recipients.",
        recipients,
        audience=Html(audience_label(t, audience)),
    )
    sample = announcement(t, text, urgent=urgent, broadcast_id=broadcast_id).text
    send = t.ngettext("Send to {count} person", "Send to {count} people", recipients)
    buttons = (
        (
            Button(send, send_data(broadcast_id)),
            Button(t.gettext("Cancel"), cancel_data(broadcast_id)),
        ),
    )
    return Reply(f"{title}\n{count}\n\n{sample}", buttons)


def progress(t: Translator, audience: Audience, state: Progress, *, urgent: bool) -> Reply:
    label = Html(audience_label(t, audience))
    if state.finished:
        heading = t.ngettext(
            "✅ Sent to {audience}: {count} recipient.",
            "✅ Sent to {audience}: {count} recipients.",
            state.total,
            audience=label,
        )
    else:
        heading = t.ngettext(
            "⏳ Sending to {audience}: {count} recipient…",
            "⏳ Sending to {audience}: {count} recipients…",
            state.total,
            audience=label,
        )
    lines = [
        heading,
        t.gettext("Delivered: {n}", n=Html(t.number(state.delivered))),
        t.gettext("Waiting: {n}", n=Html(t.number(state.waiting))),
        t.gettext("Unreachable (blocked the bot): {n}", n=Html(t.number(state.unreachable))),
        t.gettext("Failed: {n}", n=Html(t.number(state.failed))),
    ]
    if urgent:
        lines.append(t.gettext("Acknowledged: {n}", n=Html(t.number(state.acknowledged))))
    return Reply("\n".join(lines))


def nobody(t: Translator, audience: Audience) -> Reply:
    return Reply(
        t.gettext(
            "Nobody to send to: no registered delegate is in {audience}. Nothing was sent.",
            audience=Html(audience_label(t, audience)),
        )
    )


def unknown_audience(t: Translator, audience: Audience) -> Reply:
    return Reply(
        t.gettext(
            "I do not know {audience}. Check the name (delegations and tracks as in the "
            "imported files, sessions by their id). Nothing was sent.",
            audience=str(audience)[:80],
        )
    )


def usage(t: Translator, command: str) -> Reply:
    return Reply(
        t.gettext(
            "Write /{command} AUDIENCE TEXT, where AUDIENCE is all, delegation:NAME, "
            'session:ID or track:NAME (a name with spaces in quotes: delegation:"Name of it"). '
            "Nothing was sent.",
            command=command,
        )
    )


def too_long(t: Translator, length: int) -> Reply:
    return Reply(
        t.gettext(
            "The text has {length} characters; the most I can send is {limit}. "
            "Please shorten it. Nothing was sent.",
            length=Html(t.number(length)),
            limit=Html(t.number(MAX_TEXT)),
        )
    )


def already_handled(t: Translator) -> str:
    return t.gettext("This broadcast was already sent or cancelled.")


def cancelled(t: Translator) -> Reply:
    return Reply(t.gettext("Broadcast cancelled. Nothing was sent."))


def acknowledged(t: Translator) -> str:
    return t.gettext("Thank you — your acknowledgement has been recorded.")


def not_for_you(t: Translator) -> str:
    return t.gettext("This notice was not addressed to you.")


def urgent_status(
    t: Translator, audience: Audience, pending: Sequence[tuple[str, str, str]], total: int
) -> list[Reply]:
    if not pending:
        return [
            Reply(
                t.gettext(
                    "Everyone has acknowledged the urgent notice to {audience}.",
                    audience=Html(audience_label(t, audience)),
                )
            )
        ]
    heading = t.ngettext(
        "{count} of {total} recipient has not acknowledged yet:",
        "{count} of {total} recipients have not acknowledged yet:",
        len(pending),
        total=Html(t.number(total)),
    )
    notes = {
        "waiting": t.gettext("not delivered yet"),
        "sending": t.gettext("not delivered yet"),
        "unreachable": t.gettext("blocked the bot"),
        "failed": t.gettext("delivery failed"),
    }
    lines = [heading, ""]
    for name, delegation, state in pending:
        note = notes.get(state)
        line = t.gettext("{name} ({delegation})", name=name, delegation=delegation)
        lines.append(f"• {line}" + (f" — {note}" if note else ""))
    return [Reply(part) for part in split_message("\n".join(lines))]


def no_urgent(t: Translator) -> Reply:
    return Reply(t.gettext("No urgent notice has been sent yet."))


def stats(
    t: Translator,
    registered: int,
    total: int,
    counts: dict[str, int],
    unreachable_people: int,
    source: SourceState | None = None,
    lost_replies: int = 0,
) -> Reply:
    return Reply(
        "\n".join(
            [
                t.gettext("<b>Statistics</b>"),
                t.gettext(
                    "Delegates registered: {registered} of {total}",
                    registered=Html(t.number(registered)),
                    total=Html(t.number(total)),
                ),
                t.gettext(
                    "Delegates unreachable (blocked the bot): {n}",
                    n=Html(t.number(unreachable_people)),
                ),
                t.gettext(
                    "Messages waiting: {n}",
                    n=Html(t.number(counts.get("waiting", 0) + counts.get("sending", 0))),
                ),
                t.gettext("Messages sent: {n}", n=Html(t.number(counts.get("sent", 0)))),
                t.gettext("Messages failed: {n}", n=Html(t.number(counts.get("failed", 0)))),
                t.gettext(
                    "Replies that could not be delivered: {n}", n=Html(t.number(lost_replies))
                ),
                *(_source_lines(t, source) if source is not None else []),
            ]
        )
    )


def _source_lines(t: Translator, source: SourceState) -> list[str]:
    def when(moment: datetime) -> Html:
        return Html(f"{t.short_day(t.venue_date(moment))} {t.time(moment)}")

    lines = ["", t.gettext("Programme source: {url}", url=source.url)]
    if source.success_at is not None:
        lines.append(t.gettext("Last update from the source: {when}", when=when(source.success_at)))
    else:
        lines.append(t.gettext("The source has not been fetched successfully yet."))
    if source.error and source.error_at is not None:
        lines.append(
            t.gettext(
                "Last error of the source ({when}): {error}",
                when=when(source.error_at),
                error=source.error,
            )
        )
    return lines
