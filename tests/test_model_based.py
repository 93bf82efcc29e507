"""A model-based test of the programme: organizers, files, delegates and reissues, interleaved.

Hypothesis drives the real services (imports, /move, /reschedule, /cancel, /program's
add/remove, registration, /forget, `invites --reissue`, reminders and digests) on a real
SQLite file, against a model small enough to be obviously right. After every step:

- every accepted change is in the database exactly as acknowledged (and every refusal
  changed nothing);
- no delegate can see, by any view — /agenda, /next, /program and its day buttons, the
  .ics file — a session they may not see, and no message queued for them (change notice,
  reminder, digest) names a session they were never allowed to know;
- the outbox holds waiting messages only for accounts linked to their delegate.

`make model` (part of `make test`) runs a bounded number of examples (about ten seconds); set
`SUMMITBOT_LONG_MODEL=1` for the long run recorded in docs/security.md.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from bot.calendar_ics import agenda_calendar
from bot.domain.agenda import day_bounds
from bot.domain.changes import Applied, Refusal
from bot.domain.models import Session
from bot.i18n import Catalogs
from bot.services.changes import ProgrammeEditor
from bot.services.imports import SourceFile, import_files
from bot.services.notices import NoticeSettings
from bot.services.reminders import Digests, Reminders
from bot.storage.database import Database
from bot.storage.people import PeopleStore
from bot.storage.programme import ProgrammeStore
from tests.support.summit_files import VENUE, to_csv

LONG = os.environ.get("SUMMITBOT_LONG_MODEL") == "1"

# The long run takes minutes, past the suite's per-test timeout.
pytestmark = [pytest.mark.model, pytest.mark.timeout(3600 if LONG else 120)]

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
DAYS = [date(2030, 6, 10), date(2030, 6, 11), date(2030, 6, 12)]
SESSIONS = ["s1", "s2", "s3"]
DELEGATES = ["d1", "d2", "d3", "d4"]
ROOMS = ["Hall A", "Hall B", "Salon 3", "Vault"]
KINDS = ["panel", "plenary", "bilateral"]
EVERYTHING = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
CATALOGS = Catalogs.load(VENUE, "en")


@dataclass
class ModelSession:
    title: str
    start: datetime
    end: datetime
    room: str
    kind: str
    audience: str
    status: str


@dataclass
class Model:
    sessions: dict[str, ModelSession] = field(default_factory=dict)
    attendance: dict[tuple[str, str], str] = field(default_factory=dict)  # → source
    accounts: dict[int, str] = field(default_factory=dict)  # user id → delegate id
    known: dict[str, set[str]] = field(default_factory=dict)  # titles a delegate was shown

    def attends(self, delegate: str, session_id: str) -> bool:
        return (delegate, session_id) in self.attendance

    def visible(self, delegate: str, session_id: str) -> bool:
        session = self.sessions[session_id]
        return session.audience == "all" or self.attends(delegate, session_id)

    def on_agenda(self, delegate: str, session_id: str) -> bool:
        session = self.sessions[session_id]
        open_plenary = session.kind == "plenary" and session.audience == "all"
        return self.attends(delegate, session_id) or open_plenary

    def withdraw_self_added(self) -> None:
        for (delegate, session_id), source in list(self.attendance.items()):
            if source == "delegate" and self.sessions[session_id].audience == "invited":
                del self.attendance[(delegate, session_id)]


times = st.builds(
    lambda day, hour, minutes: (
        datetime(day.year, day.month, day.day, hour, tzinfo=VENUE).astimezone(UTC),
        timedelta(minutes=minutes),
    ),
    st.sampled_from(DAYS),
    st.sampled_from([8, 11, 15, 22]),  # 22:00 + 3 h crosses midnight
    st.sampled_from([30, 90, 180]),
)


class ProgrammeMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = Path(tempfile.mkdtemp(prefix="summit-model-"))
        self.db = self.run(Database.open(self.folder / "summit.db"))
        self.programme = ProgrammeStore(self.db)
        self.people = PeopleStore(self.db)
        notices = NoticeSettings(CATALOGS, discreet=False)
        self.notices = notices
        self.editor = ProgrammeEditor(self.db, self.programme, notices)
        self.model = Model()
        self.next_user = 100
        self.titles = 0
        self.calendars: dict[str, str] = {}

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def teardown(self) -> None:
        self.run(self.db.close())
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def calendar(self, sessions: list[Session]) -> str:
        # The .ics file is a pure function of the agenda: built once per distinct agenda
        # instead of after every step for every delegate (most steps change no agenda).
        key = repr(sessions)
        if key not in self.calendars:
            self.calendars[key] = agenda_calendar(
                sessions,
                language="en",
                venue=VENUE,
                summit_name="Model",
                reminder_minutes=15,
                now=NOW,
            ).decode()
        return self.calendars[key]

    def fresh_title(self, audience: str) -> str:
        # Unique words, so a leak can be told from a coincidence in any message.
        self.titles += 1
        return f"{'Secret' if audience == 'invited' else 'Open'}{self.titles}x"

    def import_(self, files: dict[str, bytes]) -> None:
        sources = [SourceFile(name, data) for name, data in files.items()]
        report = self.run(import_files(self.db, sources, VENUE, notices=self.notices))
        assert report.ok, report.errors

    # ─ set-up ────────────────────────────────────────────────────────────────────────

    @initialize()
    def delegates(self) -> None:
        rows = [["id", "name", "delegation"]] + [[d, f"Name {d}", f"Del {d}"] for d in DELEGATES]
        self.import_({"delegates.csv": to_csv(rows)})
        for delegate in DELEGATES:
            self.model.known[delegate] = set()
        # A programme to start from, so that every rule has something to act on at once.
        first = datetime(2030, 6, 10, 9, tzinfo=VENUE).astimezone(UTC)
        hour = timedelta(hours=1)
        self.import_session("s1", (first, hour), "Hall A", "panel", "all", False, [])
        self.import_session("s2", (first + 2 * hour, hour), "Hall B", "plenary", "all", False, [])
        self.import_session(
            "s3",
            (first + 4 * hour, hour),
            "Salon 3",
            "bilateral",
            "invited",
            False,
            [("d3", False)],
        )
        for delegate in DELEGATES[:3]:
            self.register(delegate)

    # ─ organizers: files ─────────────────────────────────────────────────────────────

    @rule(
        session_id=st.sampled_from(SESSIONS),
        when=times,
        room=st.sampled_from(ROOMS),
        kind=st.sampled_from(KINDS),
        audience=st.sampled_from(["all", "invited"]),
        cancelled=st.sampled_from([False, False, False, True]),
        attendance=st.lists(
            st.tuples(st.sampled_from(DELEGATES), st.booleans()),
            max_size=3,
            unique_by=lambda x: x[0],
        ),
    )
    def import_session(
        self,
        session_id: str,
        when: tuple[datetime, timedelta],
        room: str,
        kind: str,
        audience: str,
        cancelled: bool,
        attendance: list[tuple[str, bool]],
    ) -> None:
        start, length = when
        title = self.fresh_title(audience)
        status = "cancelled" if cancelled else "scheduled"
        local = "%Y-%m-%dT%H:%M"
        row = [session_id, title, start.astimezone(VENUE).strftime(local)]
        row += [(start + length).astimezone(VENUE).strftime(local), room, kind, audience, status]
        files = {
            "sessions.csv": to_csv(
                [["id", "title", "start", "end", "room", "kind", "audience", "status"], row]
            )
        }
        if attendance:
            files["attendance.csv"] = to_csv(
                [["delegate_id", "session_id", "remove"]]
                + [[d, session_id, "yes" if remove else ""] for d, remove in attendance]
            )
        self.import_(files)
        self.model.sessions[session_id] = ModelSession(
            title, start, start + length, room, kind, audience, status
        )
        for delegate, remove in attendance:
            if remove:
                self.model.attendance.pop((delegate, session_id), None)
            else:
                self.model.attendance[(delegate, session_id)] = "organizer"
        self.model.withdraw_self_added()

    # ─ organizers: chat commands ─────────────────────────────────────────────────────

    def expect(self, result: Applied | Refusal, session_id: str, refusal: Refusal | None) -> None:
        if refusal is None:
            assert isinstance(result, Applied), (session_id, result)
        else:
            assert result is refusal, (session_id, result, refusal)

    @rule(session_id=st.sampled_from([*SESSIONS, "nope"]), room=st.sampled_from(ROOMS))
    def move(self, session_id: str, room: str) -> None:
        result = self.run(self.editor.move(session_id, room, "model", NOW))
        session = self.model.sessions.get(session_id)
        if session is None:
            return self.expect(result, session_id, Refusal.UNKNOWN)
        if session.status == "cancelled":
            return self.expect(result, session_id, Refusal.CANCELLED)
        if session.room == room:
            return self.expect(result, session_id, Refusal.NOTHING_CHANGES)
        self.expect(result, session_id, None)
        assert isinstance(result, Applied) and result.after.room == room
        session.room = room
        return None

    @rule(session_id=st.sampled_from(SESSIONS), when=times, keep_length=st.booleans())
    def reschedule(
        self, session_id: str, when: tuple[datetime, timedelta], keep_length: bool
    ) -> None:
        start, length = when
        end = None if keep_length else start + length
        result = self.run(self.editor.reschedule(session_id, start, end, "model", NOW))
        session = self.model.sessions.get(session_id)
        if session is None:
            return self.expect(result, session_id, Refusal.UNKNOWN)
        if session.status == "cancelled":
            return self.expect(result, session_id, Refusal.CANCELLED)
        new_end = end if end is not None else start + (session.end - session.start)
        if (start, new_end) == (session.start, session.end):
            return self.expect(result, session_id, Refusal.NOTHING_CHANGES)
        self.expect(result, session_id, None)
        session.start, session.end = start, new_end
        return None

    @rule(session_id=st.sampled_from(SESSIONS))
    def cancel(self, session_id: str) -> None:
        result = self.run(self.editor.cancel(session_id, "model", NOW))
        session = self.model.sessions.get(session_id)
        if session is None:
            return self.expect(result, session_id, Refusal.UNKNOWN)
        if session.status == "cancelled":
            return self.expect(result, session_id, Refusal.ALREADY_CANCELLED)
        self.expect(result, session_id, None)
        session.status = "cancelled"
        return None

    # ─ delegates ─────────────────────────────────────────────────────────────────────

    @rule(delegate=st.sampled_from(DELEGATES))
    def register(self, delegate: str) -> None:
        """A new account redeems the delegate's open code (a reissue makes a new one)."""
        rows = self.run(self.people.ensure_invites(NOW))
        code = next(row.code for row in rows if row.delegate_id == delegate)
        if code is None:
            return  # registered: their code is used until a reissue
        self.next_user += 1
        self.run(self.people.redeem(code, self.next_user, "en", NOW))
        self.model.accounts = {user: d for user, d in self.model.accounts.items() if d != delegate}
        self.model.accounts[self.next_user] = delegate

    @precondition(lambda self: bool(self.model.accounts))
    @rule(data=st.data())
    def forget(self, data: st.DataObject) -> None:
        user = data.draw(st.sampled_from(sorted(self.model.accounts)))
        self.run(self.people.forget(user))
        del self.model.accounts[user]

    @rule(delegate=st.sampled_from(DELEGATES))
    def reissue(self, delegate: str) -> None:
        self.run(self.people.reissue(delegate, NOW))
        self.model.accounts = {user: d for user, d in self.model.accounts.items() if d != delegate}

    def addable(self) -> list[str]:
        """Sessions /program offers an add/remove button for."""
        return [
            key
            for key, s in sorted(self.model.sessions.items())
            if s.audience == "all" and s.status == "scheduled" and s.kind != "plenary"
        ]

    @precondition(lambda self: bool(self.addable()))
    @rule(delegate=st.sampled_from(DELEGATES), data=st.data())
    def toggle_from_program(self, delegate: str, data: st.DataObject) -> None:
        """/program's add/remove button on an open session."""
        session_id = data.draw(st.sampled_from(self.addable()))
        attending = self.model.attends(delegate, session_id)
        self.run(self.programme.attend(delegate, session_id, not attending))
        if attending:
            del self.model.attendance[(delegate, session_id)]
        else:
            self.model.attendance[(delegate, session_id)] = "delegate"

    @rule(delegate=st.sampled_from(DELEGATES), session_id=st.sampled_from(SESSIONS))
    def forged_add(self, delegate: str, session_id: str) -> None:
        """A forged button for an invited session reaches the store: nothing changes."""
        session = self.model.sessions.get(session_id)
        if session is None or session.audience != "invited":
            return
        added = self.run(self.programme.attend(delegate, session_id, True))
        assert not added

    @precondition(lambda self: any(s.audience == "all" for s in self.model.sessions.values()))
    @rule(
        data=st.data(),
        attendees=st.lists(st.sampled_from(DELEGATES), max_size=2, unique=True),
    )
    def make_invited(self, data: st.DataObject, attendees: list[str]) -> None:
        """The organizers re-import an open session as a closed one (new title, new room)."""
        open_ids = sorted(k for k, s in self.model.sessions.items() if s.audience == "all")
        session_id = data.draw(st.sampled_from(open_ids))
        session = self.model.sessions[session_id]
        self.import_session(
            session_id,
            (session.start, session.end - session.start),
            "Vault",
            "panel",
            "invited",
            session.status == "cancelled",
            [(d, False) for d in attendees],
        )

    # ─ pushes ────────────────────────────────────────────────────────────────────────

    @rule()
    def reminders_fall_due(self) -> None:
        reminders = Reminders(self.db, CATALOGS, default_lead=15, discreet=False)
        self.run(reminders.send_due(datetime(2030, 7, 1, tzinfo=UTC), NOW))

    @rule(day=st.sampled_from(DAYS))
    def digest(self, day: date) -> None:
        self.run(Digests(self.db, CATALOGS, VENUE, discreet=False).send_for_day(day))

    # ─ invariants ────────────────────────────────────────────────────────────────────

    @invariant()
    def database_is_as_acknowledged(self) -> None:
        rows = self.run(
            self.db.fetchall(
                "SELECT id, title, starts_at, ends_at, room, kind, audience, status FROM session"
            )
        )
        stored = {
            row["id"]: (
                row["title"],
                row["starts_at"],
                row["ends_at"],
                row["room"],
                row["kind"],
                row["audience"],
                row["status"],
            )
            for row in rows
        }
        expected = {
            key: (
                s.title,
                int(s.start.timestamp()),
                int(s.end.timestamp()),
                s.room,
                s.kind,
                s.audience,
                s.status,
            )
            for key, s in self.model.sessions.items()
        }
        assert stored == expected
        attendance = self.run(
            self.db.fetchall("SELECT delegate_id, session_id, source FROM attendance")
        )
        assert {(r[0], r[1]): r[2] for r in attendance} == self.model.attendance
        linked = self.run(
            self.db.fetchall(
                "SELECT user_id, delegate_id FROM telegram_user WHERE delegate_id IS NOT NULL"
            )
        )
        assert {r[0]: r[1] for r in linked} == self.model.accounts

    @invariant()
    def nobody_sees_what_they_may_not(self) -> None:
        if not self.model.sessions:
            return
        for delegate in DELEGATES:
            visible = {s for s in self.model.sessions if self.model.visible(delegate, s)}
            agenda = {s for s in self.model.sessions if self.model.on_agenda(delegate, s)}
            listed = self.run(self.programme.visible_between(delegate, *EVERYTHING, "en"))
            assert {s.id for s, _ in listed} == visible
            mine = self.run(self.programme.agenda_between(delegate, *EVERYTHING, "en"))
            assert {s.id for s in mine} == agenda
            upcoming = self.run(
                self.programme.agenda_from(delegate, NOW, datetime(2031, 1, 1, tzinfo=UTC), "en")
            )
            assert {s.id for s in upcoming} <= agenda
            # Day views: every day a session covers shows it; day buttons only lead to
            # days the delegate has something visible on.
            for day in DAYS:
                start, end = day_bounds(day, VENUE)
                on_day = self.run(self.programme.agenda_between(delegate, start, end, "en"))
                expected = {
                    s
                    for s in agenda
                    if self.model.sessions[s].start < end and self.model.sessions[s].end > start
                }
                assert {s.id for s in on_day} == expected
            span = self.run(self.programme.span(delegate))
            starts = sorted(self.model.sessions[s].start for s in visible)
            assert span == ((starts[0], starts[-1]) if starts else None)
            ics = self.calendar(mine)
            for session_id, session in self.model.sessions.items():
                if session_id not in visible:
                    assert session.title not in ics

    @invariant()
    def messages_name_only_what_their_reader_may_know(self) -> None:
        for delegate in DELEGATES:
            allowed = self.model.known[delegate] | {
                self.model.sessions[s].title
                for s in self.model.sessions
                if self.model.visible(delegate, s)
            }
            texts = self.run(
                self.db.fetchall("SELECT text FROM outbox WHERE delegate_id = ?", (delegate,))
            )
            every_title = {s.title for s in self.model.sessions.values()} | self.all_titles()
            for (text,) in texts:
                for title in every_title - allowed:
                    assert title not in text, (delegate, title, text)
            self.model.known[delegate] = allowed

    def all_titles(self) -> set[str]:
        return {f"{kind}{n}x" for kind in ("Open", "Secret") for n in range(1, self.titles + 1)}

    @invariant()
    def outbox_waits_only_for_linked_accounts(self) -> None:
        rows = self.run(
            self.db.fetchall(
                "SELECT chat_id, delegate_id FROM outbox"
                " WHERE state = 'waiting' AND delegate_id IS NOT NULL"
            )
        )
        for chat_id, delegate in rows:
            assert self.model.accounts.get(chat_id) == delegate, (chat_id, delegate)


ProgrammeMachine.TestCase.settings = settings(
    max_examples=300 if LONG else 30,
    stateful_step_count=60 if LONG else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=not LONG,
)
TestProgrammeModel = ProgrammeMachine.TestCase
