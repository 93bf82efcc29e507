"""The personal agenda and /next, through the real bot process and the emulator."""

import pytest

from tests.support.bot_process import summitbot
from tests.support.summit_files import DAY1, DAY2, DAY3, at, to_csv

pytestmark = pytest.mark.e2e


async def test_agenda_has_plenaries_and_own_sessions_only(summit):
    alice = await summit.register("alice")
    await alice.send(f"/agenda {DAY1.isoformat()}")
    text = (await alice.reply()).text
    assert "Opening plenary" in text
    assert "Cyber defense & <resilience>" in text  # escaped on the way out, intact on screen
    assert "Bilateral: Xandria – Yoland" in text
    assert "Salon 3" in text
    assert "Zembla" not in text and "Salon 4" not in text
    assert text.index("09:00") < text.index("11:00") < text.index("14:00")


async def test_never_another_delegations_private_sessions(summit):
    alice = await summit.register("alice")
    zed = await summit.register("zed")
    for day in (DAY1, DAY2, DAY3):
        await alice.send(f"/agenda {day.isoformat()}")
        alice_text = (await alice.reply()).text
        assert "Zembla" not in alice_text
        assert "Closed plenary of ministers" not in alice_text
    await zed.send(f"/agenda {DAY2.isoformat()}")
    assert "Closed plenary of ministers" in (await zed.reply()).text
    await zed.send(f"/agenda {DAY1.isoformat()}")
    zed_text = (await zed.reply()).text
    assert "Bilateral: Zembla – Yoland" in zed_text
    assert "Xandria" not in zed_text


async def test_cancelled_sessions_are_marked(summit):
    alice = await summit.register("alice")
    await alice.send(f"/agenda {DAY1.isoformat()}")
    reply = await alice.reply()
    assert "Cancelled workshop — cancelled" in reply.text
    assert any(e["type"] == "strikethrough" for e in reply.entities)


async def test_day_buttons_edit_the_message_in_place(summit):
    alice = await summit.register("alice")
    await alice.send(f"/agenda {DAY2.isoformat()}")
    message = await alice.reply()
    labels = message.button_texts()
    assert len(labels) == 2 and labels[0].startswith("◀") and labels[1].endswith("▶")
    await alice.press(message, labels[1])
    edited = await alice.wait_edit(message)
    assert edited.message_id == message.message_id
    assert "Closing plenary" in edited.text
    assert edited.button_texts()[-1].startswith("◀")  # last day: no next button
    await alice.press(edited, edited.button_texts()[0])
    back = await alice.wait_edit(edited)
    assert "Crisis management" not in back.text  # not on alice's agenda
    assert "Tuesday, 11 June 2030" in back.text
    await alice.no_reply(within=0.3)


async def test_a_day_with_nothing(summit):
    alice = await summit.register("alice")
    await alice.send(f"/agenda {DAY2.isoformat()}")
    assert "Nothing on your agenda this day." in (await alice.reply()).text


async def test_bad_day_is_explained(summit):
    alice = await summit.register("alice")
    await alice.send("/agenda someday")
    assert "I cannot read someday as a day" in (await alice.reply()).text


async def test_next_shows_the_upcoming_session_and_when(summit):
    alice = await summit.register("alice")
    await alice.send("/next")
    text = (await alice.reply()).text
    assert "Briefing on logistics" in text
    assert "Room C" in text
    assert "in 30 minutes" in text or "in 29 minutes" in text


async def test_translated_titles_follow_the_delegates_language(summit):
    farid = await summit.register("farid", language_code="en")
    await farid.send(f"/agenda {DAY1.isoformat()}")
    assert "Séance plénière d'ouverture" in (await farid.reply()).text


async def test_a_day_too_long_for_one_message_is_split_not_truncated(summit, tmp_path):
    rows = [["id", "title", "start", "end", "room"]]
    attendance = [["delegate_id", "session_id"]]
    for i in range(120):
        minute = i % 60
        rows.append(
            [
                f"long-{i}",
                f"Working group {i} on " + "interoperability " * 3,
                at(DAY3, f"08:{minute:02d}"),
                at(DAY3, "20:00"),
                f"Room {i}",
            ]
        )
        attendance.append(["alice", f"long-{i}"])
    (tmp_path / "more.csv").write_bytes(to_csv(rows))
    (tmp_path / "more-attendance.csv").write_bytes(to_csv(attendance))
    result = await summitbot(
        "import",
        "--config",
        str(summit.config),
        str(tmp_path / "more.csv"),
        str(tmp_path / "more-attendance.csv"),
    )
    assert result.code == 0, result.stderr
    alice = await summit.register("alice")
    await alice.send(f"/agenda {DAY3.isoformat()}")
    first = await alice.reply()
    messages = [first]
    while True:
        try:
            messages.append(await alice.reply(timeout=1.5))
        except TimeoutError:
            break
    assert len(messages) > 1
    text = "\n".join(m.text for m in messages)
    assert all(f"Working group {i} on" in text for i in range(120))
    assert "Closing plenary" in text
    assert messages[-1].buttons and not any(m.buttons for m in messages[:-1])
