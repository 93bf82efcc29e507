"""/delegation: a head of delegation sees where each member is now and next."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.models import Delegate, Role, Session
from bot.i18n import Html, Translator
from bot.reply import Reply, split_message


def delegation(
    t: Translator,
    name: str,
    rows: Sequence[tuple[Delegate, Session | None, Session | None]],
) -> list[Reply]:
    lines = [
        t.gettext("<b>Delegation {name}</b>", name=name),
        t.ngettext("{count} member", "{count} members", len(rows)),
        "",
    ]
    for member, now, upcoming in rows:
        label = member.name
        if member.role is Role.HEAD:
            lines.append(t.gettext("<b>{name}</b> — head of delegation", name=label))
        else:
            lines.append(t.gettext("<b>{name}</b>", name=label))
        if now is not None:
            lines.append(
                t.gettext(
                    "  now: {title}, 📍 {room} (until {end})",
                    title=now.title_in(t.language),
                    room=now.room,
                    end=Html(t.time(now.end)),
                )
            )
        if upcoming is not None:
            lines.append(
                t.gettext(
                    "  next: {time} {title}, 📍 {room}",
                    time=Html(
                        t.short_day(t.venue_date(upcoming.start)) + " " + t.time(upcoming.start)
                    ),
                    title=upcoming.title_in(t.language),
                    room=upcoming.room,
                )
            )
        if now is None and upcoming is None:
            lines.append(t.gettext("  nothing more on their agenda"))
    return [Reply(part) for part in split_message("\n".join(lines))]
