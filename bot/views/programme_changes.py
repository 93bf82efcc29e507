"""Answers to organizers' programme changes (/move, /reschedule, /cancel) and imports."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.bounds import FIRST_YEAR, LAST_YEAR
from bot.domain.changes import Applied, Refusal, TimeProblem
from bot.i18n import Html, Translator
from bot.importers import MAX_FILE_BYTES
from bot.importers.report import ImportReport, Tally
from bot.reply import Reply, split_message
from bot.views.bilateral_rooms import conflict_lines
from bot.views.where import capacity_warning

MAX_ERRORS_SHOWN = 40


def applied(t: Translator, result: Applied, action: str, warnings: Sequence[str] = ()) -> Reply:
    title = result.after.title_in(t.language)
    if action == "move":
        head = t.gettext("{title} is now in {room}.", title=title, room=result.after.room)
    elif action == "reschedule":
        head = t.gettext(
            "{title} is now on {day}, {start}–{end}.",
            title=title,
            day=Html(t.short_day(t.venue_date(result.after.start))),
            start=Html(t.time(result.after.start)),
            end=Html(t.time(result.after.end)),
        )
    else:
        head = t.gettext("{title} is cancelled.", title=title)
    told = t.ngettext(
        "{count} delegate is being told.", "{count} delegates are being told.", result.told
    )
    return Reply("\n".join([head, told, *warnings, *conflict_lines(t, result.conflicts)]))


def refused(t: Translator, refusal: Refusal, session_id: str) -> Reply:
    texts = {
        Refusal.UNKNOWN: t.gettext("There is no session {id}. Nothing was changed.", id=session_id),
        Refusal.OVER: t.gettext(
            "Session {id} is already over. Nothing was changed.", id=session_id
        ),
        Refusal.IN_THE_PAST: t.gettext(
            "That time has already passed. Nothing was changed.", id=session_id
        ),
        Refusal.ENDS_BEFORE_START: t.gettext(
            "The end must be after the start. Nothing was changed.", id=session_id
        ),
        Refusal.NOTHING_CHANGES: t.gettext(
            "Session {id} already is like that. Nothing was changed.", id=session_id
        ),
        Refusal.ALREADY_CANCELLED: t.gettext("Session {id} is already cancelled.", id=session_id),
        Refusal.CANCELLED: t.gettext(
            "Session {id} is cancelled, so it cannot be moved or rescheduled. To hold it "
            "after all, import it again with status scheduled. Nothing was changed.",
            id=session_id,
        ),
        Refusal.OUT_OF_RANGE: t.gettext(
            "That date is outside the years {first}–{last}. Nothing was changed.",
            first=FIRST_YEAR,
            last=LAST_YEAR,
        ),
    }
    return Reply(texts[refusal])


def usage(t: Translator, command: str) -> Reply:
    examples = {
        "move": t.gettext("Write /move SESSION_ID NEW ROOM, for example: /move panel-3 Hall B"),
        "reschedule": t.gettext(
            "Write /reschedule SESSION_ID START [END] with times as HH:MM (the same day) or "
            "YYYY-MM-DDTHH:MM, for example: /reschedule panel-3 14:30"
        ),
        "cancel": t.gettext("Write /cancel SESSION_ID, for example: /cancel panel-3"),
    }
    return Reply(examples[command])


def bad_time(t: Translator, text: str, problem: TimeProblem) -> Reply:
    if problem is TimeProblem.OUT_OF_RANGE:
        return Reply(
            t.gettext(
                "{text} is outside the years {first}–{last}. Nothing was changed.",
                text=text,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    if problem is TimeProblem.DOES_NOT_EXIST:
        return Reply(
            t.gettext(
                "{text} does not exist at the venue: the clocks jump over it for daylight "
                "saving time. Use a time before or after the jump. Nothing was changed.",
                text=text,
            )
        )
    return Reply(
        t.gettext(
            "I cannot read {text} as a time. Use HH:MM or YYYY-MM-DDTHH:MM. Nothing was changed.",
            text=text,
        )
    )


def _tally(t: Translator, label: str, tally: Tally) -> str:
    return t.gettext(
        "{label}: {added} added, {changed} changed, {removed} removed, {unchanged} unchanged",
        label=Html(label),
        added=Html(t.number(tally.added)),
        changed=Html(t.number(tally.changed)),
        removed=Html(t.number(tally.removed)),
        unchanged=Html(t.number(tally.unchanged)),
    )


def import_report(t: Translator, report: ImportReport) -> list[Reply]:
    names = ", ".join(report.files)
    if not report.ok:
        lines = [
            t.ngettext(
                "❌ {files}: {count} error — nothing was imported.",
                "❌ {files}: {count} errors — nothing was imported.",
                len(report.errors),
                files=names,
            ),
            "",
        ]
        lines += [t.value(str(issue)) for issue in report.errors[:MAX_ERRORS_SHOWN]]
        hidden = len(report.errors) - MAX_ERRORS_SHOWN
        if hidden > 0:
            lines.append(t.ngettext("… and {count} more.", "… and {count} more.", hidden))
        lines += ["", t.gettext("Fix the file and send it again.")]
        return [Reply(part) for part in split_message("\n".join(lines))]
    lines = [t.gettext("✅ Imported {files}.", files=names)]
    for label, tally in (
        (t.gettext("Sessions"), report.sessions),
        (t.gettext("Delegates"), report.delegates),
        (t.gettext("Attendance"), report.attendance),
        (t.gettext("Rooms"), report.rooms),
    ):
        if tally.total:
            lines.append(_tally(t, label, tally))
    if report.cancelled:
        lines.append(
            t.ngettext(
                "{count} session cancelled: no longer in the source.",
                "{count} sessions cancelled: no longer in the source.",
                report.cancelled,
            )
        )
    if report.warnings:
        lines += [
            "",
            t.ngettext(
                "⚠️ {count} note, imported by the rule it states:",
                "⚠️ {count} notes, imported by the rules they state:",
                len(report.warnings),
            ),
        ]
        lines += [t.value(str(issue)) for issue in report.warnings[:MAX_ERRORS_SHOWN]]
        hidden = len(report.warnings) - MAX_ERRORS_SHOWN
        if hidden > 0:
            lines.append(
                t.ngettext("… and {count} more note.", "… and {count} more notes.", hidden)
            )
    if report.told:
        lines.append(
            t.ngettext(
                "{count} delegate is being told about changed sessions.",
                "{count} delegates are being told about changed sessions.",
                report.told,
            )
        )
    lines += [capacity_warning(t, item) for item in report.overcrowded]
    lines += conflict_lines(t, report.conflicts)
    return [Reply(part) for part in split_message("\n".join(lines))]


def file_too_big(t: Translator) -> Reply:
    return Reply(
        t.gettext(
            "This file is larger than {limit} MB. Split it (for example by day) and send "
            "the parts one after another. Nothing was imported.",
            limit=Html(t.number(MAX_FILE_BYTES // 1024 // 1024)),
        )
    )
