"""Bilateral meetings through the real `summitbot run` and the emulator.

Xandria's head writes in English, Yoland's in Arabic, Zembla's in French. Rooms come
from tests.support.rooms (the one place tests seed rooms until the rooms importer lands).
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import launch
from tests.support import bilateral_summit
from tests.support.bot_process import summitbot
from tests.support.rooms import bilateral_room, seed_rooms
from tests.support.summit_files import DAY1, SESSIONS_HEADER, local, programme_row, to_csv

pytestmark = pytest.mark.e2e


def data_of(message, prefix):
    found = [b.callback_data for row in message.buttons for b in row if b.callback_data]
    return next(d for d in found if d.startswith(prefix))


def slot_key(label):
    """A slot button's day number, time and room, whatever the language of the day name."""
    words = label.split()
    return words[1], words[-4], " ".join(words[-2:])


async def press_data(user, message, prefix):
    return await user.press(message, callback_data=data_of(message, prefix))


async def start(tmp_path, emulator, extra="", rooms=None, files=None):
    running = launch(
        tmp_path,
        emulator,
        files or bilateral_summit.files(),
        extra_config=bilateral_summit.CONFIG + extra,
    )
    summit = await running.__aenter__()
    await seed_rooms(tmp_path / "summit.db", rooms or bilateral_summit.ROOMS)
    return running, summit


async def ask(head, other_part, people, topic=None):
    """Walk /bilateral; returns the slot message (slots as buttons)."""
    await head.send("/bilateral")
    form = await head.reply()
    await head.send(other_part)
    form = await head.reply()
    await press_data(head, form, "bl:w:")  # the first (only) matching delegation
    form = await head.wait_edit(form)
    for name in people:
        button = next(b for b in form.button_texts() if name in b)
        await head.press(form, button)
        form = await head.wait_edit(form)
    await head.press(form, form.buttons[-1][0].text)  # Continue (n)
    form = await head.wait_edit(form)
    if topic is None:
        await head.press(form, form.buttons[0][0].text)  # Skip
        return await head.wait_edit(form)
    await head.send(topic)
    return await head.reply()


async def choose_first_slot(head, slots):
    await head.press(slots, callback_data=slots.buttons[0][0].callback_data)
    return await head.wait_edit(slots)


async def open_request(head, timeout=10.0):
    push = await head.reply(timeout=timeout)
    await press_data(head, push, "bl:v:")
    return push, await head.wait_edit(push)


async def accept_with(head, details, participant):
    """The invited head accepts the request in `details`, ticks `participant` of their own
    side and confirms; returns the form as it ends."""
    await press_data(head, details, "bl:a:")
    form = await head.wait_edit(details)
    await head.press(form, next(b for b in form.button_texts() if participant in b))
    form = await head.wait_edit(form)
    await head.press(form, form.buttons[-1][0].text)
    return await head.wait_edit(form)


async def test_two_heads_negotiate_a_confirmed_meeting(tmp_path, emulator):
    running, summit = await start(tmp_path, emulator)
    try:
        hx = await summit.register("hx")
        hy = await summit.register("hy", language_code="ar")
        x2 = await summit.register("x2")
        y1 = await summit.register("y1", language_code="ar")
        slots = await ask(hx, "yol", ["Xenia"], topic="Maritime <security>")
        assert "Yoland" in slots.text
        assert all(len(d.encode()) <= 64 for row in slots.buttons for d in [row[0].callback_data])
        sent = await choose_first_slot(hx, slots)
        assert "Request sent to Yoland" in sent.text and "Salon 1" in sent.text
        # Yoland's head (Arabic) is told discreetly: no delegation, no topic.
        push, details = await open_request(hy)
        assert "Xandria" not in push.text and "Maritime" not in push.text
        assert "Xandria" in details.text and "Maritime <security>" in details.text
        assert "Xenia Two" in details.text
        done = await accept_with(hy, details, "Yasmin")
        assert "/bilaterals" in done.text
        # Xandria's head hears it; participants of both sides get it on their agenda.
        told = await hx.reply(timeout=10)
        assert "Salon 1" in told.text and "Yoland" not in told.text
        assert "Salon 1" in (await x2.reply(timeout=10)).text
        assert "Salon 1" in (await y1.reply(timeout=10)).text
        day = DAY1.isoformat()
        for user in (x2, y1, hx):
            await user.send(f"/agenda {day}")
            agenda = await user.reply()
            if user is hx:
                assert "Xandria" not in agenda.text  # the head chose not to attend
            else:
                assert "Xandria" in agenda.text and "Yoland" in agenda.text
        await hx.send("/bilaterals")
        listing = await hx.reply()
        assert "Yoland" in listing.text and "Maritime" in listing.text
        exported = await summitbot("bookings", "--config", str(summit.config), "--date", day)
        rows = list(csv.DictReader(io.StringIO(exported.stdout)))
        assert exported.code == 0 and len(rows) == 1
        assert rows[0]["status"] == "confirmed" and rows[0]["participants"] == "x2;y1"
        audit = await summitbot("audit", "--config", str(summit.config))
        assert "bilateral_request" in audit.stdout and "bilateral_accept" in audit.stdout
        # An organizer moves the meeting: both sides' participants are told (change
        # notice, discreet), and the booking follows its session.
        organizer = summit.organizer
        await organizer.send(f"/move bilateral-{rows[0]['booking_id']} Salon 2")
        assert "Salon 2" in (await organizer.reply()).text
        for user in (x2, y1):
            notice = await user.reply(timeout=10)
            assert "Salon 2" in notice.text and "Yoland" not in notice.text
        await hx.send("/bilaterals")
        assert "Salon 2" in (await hx.reply()).text
    finally:
        await running.__aexit__(None, None, None)


async def test_decline_and_a_third_delegation_sees_nothing(tmp_path, emulator):
    running, summit = await start(tmp_path, emulator)
    try:
        hx = await summit.register("hx")
        hy = await summit.register("hy", language_code="ar")
        hz = await summit.register("hz", language_code="fr")
        slots = await ask(hx, "Yoland", ["Xavier"])
        await choose_first_slot(hx, slots)
        _push, details = await open_request(hy)
        request_id = data_of(details, "bl:a:").split(":")[-1]
        # Zembla: nothing in /bilaterals, and every forged button reads like a missing one.
        await hz.send("/bilaterals")
        assert "Xandria" not in (await hz.reply()).text
        await hz.send("/bilateral")
        form = await hz.reply()
        answers = []
        for action in ("v", "a", "d", "dn", "o", "c"):
            answer = await hz.press(form, callback_data=f"bl:{action}:{request_id}", forge=True)
            answers.append(answer.text)
        missing = await hz.press(form, callback_data="bl:a:999999", forge=True)
        assert set(answers) == {missing.text}
        organizer_only = await hz.press(form, callback_data=f"bl:ok:{request_id}", forge=True)
        assert organizer_only.text == missing.text
        # Decline with a typed reason; Xandria's head is told and sees the reason.
        await press_data(hy, details, "bl:d:")
        await hy.wait_edit(details)
        await hy.send("Our minister is travelling")
        await hy.reply()
        told = await hx.reply(timeout=10)
        assert "declined" in told.text
        await hx.send("/bilaterals")
        assert "Our minister is travelling" in (await hx.reply()).text
        await hz.no_reply(within=1.0)
    finally:
        await running.__aexit__(None, None, None)


async def test_propose_another_time(tmp_path, emulator):
    running, summit = await start(tmp_path, emulator)
    try:
        hx = await summit.register("hx")
        hy = await summit.register("hy", language_code="ar")
        slots = await ask(hx, "Yol", ["Xavier"])
        first = await choose_first_slot(hx, slots)
        _push, details = await open_request(hy)
        await press_data(hy, details, "bl:o:")
        form = await hy.wait_edit(details)
        await hy.press(form, next(b for b in form.button_texts() if "Yusuf" in b))
        form = await hy.wait_edit(form)
        await hy.press(form, form.buttons[-1][0].text)
        offered = await hy.wait_edit(form)
        # Take the second offer (another time than the one asked).
        await hy.press(offered, callback_data=offered.buttons[1][0].callback_data)
        proposed = await hy.wait_edit(offered)
        assert "Xandria" in proposed.text
        # Xandria receives the proposal (its own request is answered by it) to answer.
        proposal = await hx.reply(timeout=10)
        await press_data(hx, proposal, "bl:v:")
        details = await hx.wait_edit(proposal)
        assert "Yoland" in details.text and "Yusuf Two" in details.text
        await press_data(hx, details, "bl:a:")
        form = await hx.wait_edit(details)
        assert any(b.startswith("✅") and "Xavier" in b for b in form.button_texts())
        await hx.press(form, form.buttons[-1][0].text)
        await hx.wait_edit(form)
        exported = await summitbot("bookings", "--config", str(summit.config))
        states = sorted(row["status"] for row in csv.DictReader(io.StringIO(exported.stdout)))
        assert states == ["confirmed", "declined"]
        assert first.text != proposed.text
        # Xandria's head cancels the meeting from /bilaterals; Yoland's head is told.
        await hx.reply(timeout=10)  # "a private meeting is confirmed"
        await hx.send("/bilaterals")
        listing = await hx.reply()
        answer = await press_data(hx, listing, "bl:c:")
        assert "Cancelled" in answer.text
        await hy.reply(timeout=10)  # the confirmation, then the cancellation
        cancelled = await hy.reply(timeout=10)
        assert "/bilaterals" in cancelled.text and "Xandria" not in cancelled.text
        exported = await summitbot("bookings", "--config", str(summit.config))
        states = sorted(row["status"] for row in csv.DictReader(io.StringIO(exported.stdout)))
        assert states == ["cancelled", "declined"]
    finally:
        await running.__aexit__(None, None, None)


async def test_race_for_the_last_slot_exactly_one_wins(tmp_path, emulator):
    # One bilateral room, one slot a day (09:00-09:30 after the turnaround-free hours).
    running, summit = await start(
        tmp_path,
        emulator,
        rooms=[bilateral_room("Salon 1", 4)],
    )
    try:
        hx = await summit.register("hx")
        hz = await summit.register("hz")  # same language: the two offers read the same
        await summit.register("hy", language_code="ar")
        form_x = await ask(hx, "Yol", ["Xenia"])
        form_z = await ask(hz, "Yol", ["Zak"])
        assert slot_key(form_x.buttons[0][0].text) == slot_key(form_z.buttons[0][0].text)
        # Both press the same first slot at the same moment.
        await asyncio.gather(
            hx.press(form_x, callback_data=form_x.buttons[0][0].callback_data),
            hz.press(form_z, callback_data=form_z.buttons[0][0].callback_data),
        )
        after_x, after_z = await hx.wait_edit(form_x), await hz.wait_edit(form_z)
        won = [
            "Request sent" in after_x.text,
            "Yoland" in after_z.text and "⏳" not in after_z.text,
        ]
        lost = [m for m in (after_x, after_z) if "⏳" in m.text]
        assert len(lost) == 1 and sum(won) == 1
        # The loser is offered the next slots, not the one just taken.
        assert slot_key(lost[0].buttons[0][0].text) != slot_key(form_x.buttons[0][0].text)
        exported = await summitbot("bookings", "--config", str(summit.config))
        assert len(list(csv.DictReader(io.StringIO(exported.stdout)))) == 1
    finally:
        await running.__aexit__(None, None, None)


async def test_daily_cap_turnaround_and_capacity(tmp_path, emulator):
    running, summit = await start(
        tmp_path,
        emulator,
        rooms=[bilateral_room("Salon 1", 2), bilateral_room("Salon 2", 6)],
    )
    try:
        hx = await summit.register("hx")
        await summit.register("hy", language_code="ar")
        hz = await summit.register("hz", language_code="fr")
        # Capacity: two participants (and as many expected from Yoland) need Salon 2.
        # Xavier is at the cyber panel until 10:00.
        slots = await ask(hx, "Yol", ["Xavier", "Xenia"])
        assert all("Salon 2" in row[0].text for row in slots.buttons[:-1])
        booked = await choose_first_slot(hx, slots)
        assert "Salon 2" in booked.text and "10:00" in booked.text
        # Turnaround: Zembla's two (four seats: Salon 2 only) may meet 09:00-09:30 or
        # 09:15-09:45, then not until 10:45 (10:00-10:30 plus 15 minutes either side).
        slots = await ask(hz, "Yol", ["Zora", "Zak"])
        times = [slot_key(row[0].text)[1] for row in slots.buttons[:4]]
        assert times == ["09:00", "09:15", "10:45", "11:00"]
        # Daily cap (2): a second meeting on 10 June for Xandria, then only 11 June.
        slots = await ask(hx, "Zem", ["Xander"])
        assert "Salon 1" in slots.buttons[0][0].text  # one person: the small room
        second = await choose_first_slot(hx, slots)
        assert "10 Jun" in second.text
        slots = await ask(hx, "Yol", ["Hana"])
        assert all("11 Jun" in row[0].text for row in slots.buttons[:-1])
    finally:
        await running.__aexit__(None, None, None)


async def test_expiry_frees_the_slot(tmp_path, emulator):
    # 0.002 hours = 7.2 seconds to answer.
    extra = "request_expiry_hours = 0.002\n"
    config = bilateral_summit.CONFIG.replace("request_expiry_hours = 12\n", "")
    running = launch(tmp_path, emulator, bilateral_summit.files(), extra_config=config + extra)
    summit = await running.__aenter__()
    await seed_rooms(tmp_path / "summit.db", [bilateral_room("Salon 1", 4)])
    try:
        hx = await summit.register("hx")
        hy = await summit.register("hy", language_code="ar")
        hz = await summit.register("hz")
        slots = await ask(hx, "Yol", ["Xenia"])
        taken = slot_key(slots.buttons[0][0].text)
        await choose_first_slot(hx, slots)
        await hy.reply(timeout=10)  # the request
        slots = await ask(hz, "Yol", ["Zak"])
        assert slot_key(slots.buttons[0][0].text) != taken
        await asyncio.sleep(8)
        expired = await hx.reply(timeout=30)
        assert "expired" in expired.text
        await hy.reply(timeout=10)
        slots = await ask(hz, "Yol", ["Zak"])
        assert slot_key(slots.buttons[0][0].text) == taken
    finally:
        await running.__aexit__(None, None, None)


async def test_approval_mode_and_bookings_view(tmp_path, emulator):
    running, summit = await start(tmp_path, emulator, 'approval = "organizers"\n')
    try:
        organizer = summit.organizer
        await organizer.send("/help")  # the organizer has opened a chat with the bot
        assert "/bookings" in (await organizer.reply()).text
        hx = await summit.register("hx")
        hy = await summit.register("hy", language_code="ar")
        x1 = await summit.register("x1")
        slots = await ask(hx, "Yol", ["Xavier"])
        await choose_first_slot(hx, slots)
        _push, details = await open_request(hy)
        await accept_with(hy, details, "Youssef")
        told = await hx.reply(timeout=10)
        assert "organizers" in told.text
        await x1.no_reply(within=1.0)  # not on the agenda yet
        asked = await organizer.reply(timeout=10)  # the organizers hear a booking waits
        assert "awaits your confirmation" in asked.text and "Xandria" in asked.text
        await organizer.send(f"/bookings {DAY1.isoformat()}")
        grid = await organizer.reply()
        assert "Salon 1" in grid.text and "Xandria" in grid.text and "Salon 2" in grid.text
        await press_data(organizer, grid, "bl:ok:")
        await organizer.wait_edit(grid)
        assert "Salon 1" in (await x1.reply(timeout=10)).text
        # A head cannot confirm.
        answer = await hx.press(told, callback_data="bl:ok:1", forge=True)
        assert "no longer available" in answer.text
    finally:
        await running.__aexit__(None, None, None)


async def test_confirmed_meeting_is_reminded(tmp_path, emulator):
    # The first slot offered is the next half hour. Had it begun by the time the meeting is
    # confirmed, no reminder would be due ("never after the start"): begin clear of that.
    to_next_slot = 1800 - datetime.now(UTC).timestamp() % 1800
    if to_next_slot < 120:
        await asyncio.sleep(to_next_slot + 1)
    now = datetime.now(UTC)
    rows = [
        # Nobody attends these; they only make today (and tomorrow) summit days.
        programme_row(
            "today",
            "Reception",
            local(now + timedelta(hours=2)),
            local(now + timedelta(hours=3)),
            "Garden",
            "social",
        ),
        programme_row(
            "tomorrow",
            "Dinner",
            local(now + timedelta(hours=26)),
            local(now + timedelta(hours=27)),
            "Garden",
            "social",
        ),
    ]
    files = dict(bilateral_summit.files())
    files["sessions.csv"] = to_csv([SESSIONS_HEADER, *rows])
    del files["attendance.csv"]
    config = bilateral_summit.CONFIG.replace('hours = "08:00-12:00"', 'hours = "00:00-23:45"')
    running = launch(tmp_path, emulator, files, extra_config=config)
    summit = await running.__aenter__()
    await seed_rooms(tmp_path / "summit.db", bilateral_summit.ROOMS)
    try:
        hx = await summit.register("hx")
        hy = await summit.register("hy", language_code="ar")
        x1 = await summit.register("x1")
        await x1.send("/remind 240")
        await x1.reply()
        slots = await ask(hx, "Yol", ["Xavier"])
        await choose_first_slot(hx, slots)
        _push, details = await open_request(hy)
        await accept_with(hy, details, "Youssef")
        on_agenda = await x1.reply(timeout=10)
        assert "Salon" in on_agenda.text
        reminder = await x1.reply(timeout=15)
        assert "Reminder" in reminder.text and "Salon 1" in reminder.text
    finally:
        await running.__aexit__(None, None, None)


async def test_delegation_shows_members_now_and_next_to_heads_only(tmp_path, emulator):
    running, summit = await start(tmp_path, emulator)
    try:
        hx = await summit.register("hx")
        x1 = await summit.register("x1")
        await hx.send("/delegation")
        page = await hx.reply()
        assert "Xandria" in page.text and "Hana Xu — head of delegation" in page.text
        # Xavier's next item is the cyber panel (after the opening plenary everyone has).
        xavier = page.text.split("Xavier One", 1)[1].split("Xenia", 1)[0]
        assert "Opening plenary" in xavier
        assert "Yoland" not in page.text
        await x1.send("/delegation")
        assert "Only heads of delegation" in (await x1.reply()).text
        await x1.send("/bilateral")
        assert "Only heads of delegation" in (await x1.reply()).text
        await x1.send("/help")
        assert "/bilateral" not in (await x1.reply()).text
        await hx.send("/help")
        assert "/bilateral" in (await hx.reply()).text
    finally:
        await running.__aexit__(None, None, None)
