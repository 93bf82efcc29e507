"""Random users, commands, arguments, forged buttons and documents against the running bot.

Every input must get an answer within a time bound, nothing private may reach anyone
who should not see it, no handler may fail (the `launch` fixture rejects a traceback in
the bot's log), and at the end /agenda still answers correctly.

`make test` runs SUMMITBOT_FUZZ_EXAMPLES (default 40) examples; a long run:
    SUMMITBOT_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/e2e/test_fuzz.py
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.summit_files import DAY1

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("SUMMITBOT_FUZZ_EXAMPLES", "40"))
ANSWER_WITHIN = 10.0
# Facts about private sessions each person must never receive (a person may of course
# see their own input echoed back, so only what they could not have typed counts).
NEVER = {
    "alice": ("Salon 4", "Bilateral: Zembla", "Closed plenary of ministers"),
    "stranger": ("Salon 4", "Bilateral: Zembla", "Closed plenary of ministers", "Salon 3"),
    "yara": ("Closed plenary of ministers",),  # yara attends both bilaterals
}

COMMANDS = [
    "/start",
    "/help",
    "/agenda",
    "/next",
    "/program",
    "/remind",
    "/language",
    "/calendar",
    "/broadcast",
    "/urgent",
    "/urgent_status",
    "/move",
    "/reschedule",
    "/cancel",
    "/stats",
    "/frobnicate",
    "/AGENDA",
    "/agenda@SummitDemoBot",
]
SPICY = st.sampled_from(
    [
        "",
        " ",
        "<b>",
        "</b>",
        "<script>alert(1)</script>",
        "&amp;",
        "&",
        "\u202e",
        "\u2067",
        "\u200f",
        "\u0000",
        "مرحبا",
        "Привет",
        "🙂" * 50,
        "bil-zy",
        "session:bil-zy",
        "delegation:Zembla",
        "track:cyber",
        "2030-06-10",
        "tomorrow",
        "25:99",
        "-1",
        "99999",
        "²",
        "١٢",
        "۳۰",
        "x" * 4000,
        "\n\n",
        '"quoted name"',
        "all",
    ]
)
ARGUMENT = st.one_of(SPICY, st.text(max_size=60), st.text(min_size=300, max_size=4000))
CALLBACK = st.one_of(
    st.sampled_from(
        [
            "ag:2030-06-10",
            "ag:not-a-date",
            "pg:v:2030-06-10:0",
            "pg:t:2030-06-10:0:AAAAAAAAAAA",
            "pg:v:x",
            "bc:go:1",
            "bc:no:1",
            "bc:go:x",
            "ack:1",
            "ack:x",
            "lang:ar",
            "lang:zz",
            "fg:no",
            "zz",
            "ag:",
            "pg:t:2030-06-10:99:zz",
        ]
    ),
    st.text(min_size=1, max_size=30).filter(lambda s: 0 < len(s.encode()) <= 64),
)
DOCUMENT = st.tuples(
    st.sampled_from(["sessions.csv", "x.xml", "y.json", "z.bin", "attendance.csv"]),
    st.one_of(
        st.binary(max_size=2000),
        st.just(b"id,title,start,end,room\nbad,<b>,2030-13-01T09:00,nope,R\n"),
        st.just(b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><schedule>&a;</schedule>'),
    ),
)
ACTION = st.one_of(
    st.tuples(st.just("text"), st.sampled_from(COMMANDS), ARGUMENT),
    st.tuples(st.just("plain"), ARGUMENT.filter(lambda s: s.strip()), st.just("")),
    st.tuples(st.just("button"), CALLBACK, st.just("")),
    st.tuples(st.just("document"), DOCUMENT, st.just("")),
)
ACTORS = st.sampled_from(["alice", "yara", "stranger", "organizer"])


@pytest.fixture
async def cast(summit):
    people = {
        "alice": await summit.register("alice"),
        "yara": await summit.register("yara"),
        "stranger": summit.new_user("Stranger", "fa"),
        "organizer": summit.organizer,
    }
    await people["stranger"].send("/help")
    await people["stranger"].reply()
    await people["organizer"].send("/help")
    await people["organizer"].reply()
    return summit, people


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actor=ACTORS, action=ACTION)
async def test_any_input_gets_an_answer_and_leaks_nothing(cast, actor, action):
    _, people = cast
    user = people[actor]
    kind, first, second = action
    if kind == "text":
        text = f"{first} {second}".strip() if second else first
        await user.send(text[:4096] if text.strip() else "/help")
        await user.reply(timeout=ANSWER_WITHIN)
    elif kind == "plain":
        await user.send(first[:4096])
        await user.reply(timeout=ANSWER_WITHIN)
    elif kind == "button":
        target = user.messages[-1] if user.messages else None
        if target is None:
            return
        await user.press(target, callback_data=first, forge=True, timeout=ANSWER_WITHIN)
    else:
        name, content = first
        await user.send_document(name, content or b"\n", mime_type="application/octet-stream")
        await user.reply(timeout=ANSWER_WITHIN)
    for person, secrets in NEVER.items():
        for message in people[person].messages:
            shown = message.text + " ".join(message.button_texts())
            if message.document is not None:
                shown += message.document.content.decode("utf-8", "replace")
            leaked = [secret for secret in secrets if secret in shown]
            assert not leaked, (person, leaked, shown[:300])


async def test_still_serving_agenda_after_fuzzing(cast):
    _, people = cast
    alice = people["alice"]
    await alice.send(f"/agenda {DAY1.isoformat()}")
    text = (await alice.reply(timeout=ANSWER_WITHIN)).text
    assert "Opening plenary" in text and "Zembla" not in text
