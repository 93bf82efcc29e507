"""Answers to /move, /reschedule, /cancel and to imported files."""

import pytest

from bot.domain.changes import Applied, Refusal, TimeProblem
from bot.domain.rooms import Overcrowded
from bot.importers import ImportIssue
from bot.importers.report import ImportReport, Tally
from bot.views import programme_changes as views
from tests.views.builders import AR, EN, FR, assert_fits, booking, isolated, session

PANEL = session("panel-3", "Trade & <Tariffs>", 14, room="Hall <B>")


def test_move_reschedule_and_cancel_answers():
    result = Applied(PANEL, PANEL, told=1)
    assert views.applied(EN, result, "move").text == (
        "Trade &amp; &lt;Tariffs&gt; is now in Hall &lt;B&gt;.\n1 delegate is being told."
    )
    assert views.applied(EN, Applied(PANEL, PANEL, told=3), "reschedule").text == (
        "Trade &amp; &lt;Tariffs&gt; is now on Tue 1 Dec, 14:00–15:00.\n3 delegates are being told."
    )
    assert views.applied(EN, result, "cancel", ["⚠️ a warning"]).text == (
        "Trade &amp; &lt;Tariffs&gt; is cancelled.\n1 delegate is being told.\n⚠️ a warning"
    )


def test_a_change_over_booked_bilaterals_lists_the_conflict():
    result = Applied(PANEL, PANEL, told=0, conflicts=((PANEL, [booking()]),))
    text = views.applied(EN, result, "move").text
    assert text.endswith(
        "⚠️ Conflict: Trade &amp; &lt;Tariffs&gt; (Tue 1 Dec, 14:00–15:00) overlaps booked "
        "bilateral meetings: #12 Chile &amp; &lt;Co&gt; – Peru &lt;P&gt;, Tue 1 Dec, "
        "10:00–10:30, Room B. See /bookings."
    )


@pytest.mark.parametrize("refusal", list(Refusal))
def test_every_refusal_has_an_answer_in_every_language(refusal):
    for translator in (EN, FR, AR):
        text = views.refused(translator, refusal, "<id>").text
        assert text and "<id>" not in text  # the id, where shown, is escaped


def test_refusal_names_the_session_and_the_years():
    assert views.refused(EN, Refusal.UNKNOWN, "x&y").text == (
        "There is no session x&amp;y. Nothing was changed."
    )
    assert "2000–2100" in views.refused(EN, Refusal.OUT_OF_RANGE, "x").text


@pytest.mark.parametrize("command", ["move", "reschedule", "cancel"])
def test_usage_gives_an_example(command):
    assert f"/{command} panel-3" in views.usage(EN, command).text


@pytest.mark.parametrize(
    ("problem", "start"),
    [
        (TimeProblem.UNREADABLE, "I cannot read 25&lt;00 as a time."),
        (TimeProblem.OUT_OF_RANGE, "25&lt;00 is outside the years 2000–2100."),
        (TimeProblem.DOES_NOT_EXIST, "25&lt;00 does not exist at the venue"),
    ],
)
def test_bad_time(problem, start):
    assert views.bad_time(EN, "25<00", problem).text.startswith(start)


def test_a_failed_import_lists_forty_errors_and_counts_the_rest():
    errors = [ImportIssue("f.csv", line, f"bad <value> {line}") for line in range(1, 46)]
    replies = views.import_report(EN, ImportReport(["f<1>.csv", "g.csv"], errors=errors))
    text = "\n".join(reply.text for reply in replies)
    assert text.startswith("❌ f&lt;1&gt;.csv, g.csv: 45 errors — nothing was imported.\n\n")
    assert (
        "f.csv:40: bad &lt;value&gt; 40\n… and 5 more.\n\nFix the file and send it again." in text
    )
    assert "f.csv:41:" not in text
    one = views.import_report(EN, ImportReport(["f.csv"], errors=errors[:1]))
    assert one[0].text.startswith("❌ f.csv: 1 error — nothing was imported.")


def test_long_errors_are_split_within_the_limit():
    errors = [ImportIssue("f.csv", line, "x" * 300) for line in range(1, 41)]
    replies = views.import_report(EN, ImportReport(["f.csv"], errors=errors))
    assert len(replies) > 1
    assert_fits(replies)


def test_a_successful_import_reports_tallies_notes_and_warnings():
    report = ImportReport(
        ["programme.csv"],
        warnings=[ImportIssue("programme.csv", 3, "guid <repeated>")],
        cancelled=2,
        sessions=Tally(added=3, changed=1, unchanged=5),
        rooms=Tally(),  # nothing about rooms: no line
        told=1,
        overcrowded=[Overcrowded("panel-3", "Panel", "Hall B", attendance=90, capacity=80)],
    )
    (reply,) = views.import_report(EN, report)
    assert reply.text.split("\n") == [
        "✅ Imported programme.csv.",
        "Sessions: 3 added, 1 changed, 0 removed, 5 unchanged",
        "2 sessions cancelled: no longer in the source.",
        "",
        "⚠️ 1 note, imported by the rule it states:",
        "programme.csv:3: guid &lt;repeated&gt;",
        "1 delegate is being told about changed sessions.",
        "⚠️ panel-3: 90 delegates have it on their agenda, but Hall B seats 80.",
    ]


def test_more_than_forty_notes_are_counted():
    notes = [ImportIssue("f.csv", line, "note") for line in range(1, 43)]
    (reply,) = views.import_report(EN, ImportReport(["f.csv"], warnings=notes))
    assert reply.text.endswith("f.csv:40: note\n… and 2 more notes.")


def test_import_report_in_french_and_arabic():
    report = ImportReport(["f.csv"], sessions=Tally(added=2))
    (french,) = views.import_report(FR, report)
    assert french.text != views.import_report(EN, report)[0].text
    (arabic,) = views.import_report(AR, report)
    assert isolated("f.csv") in arabic.text


def test_file_too_big_names_the_limit():
    assert "larger than 10 MB" in views.file_too_big(EN).text
