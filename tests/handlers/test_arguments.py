"""The grammar of the commands whose arguments PTB's `context.args` would mangle."""

import pytest

from bot.domain.broadcasts import AudienceKind, parse_command
from bot.domain.reminders import parse_lead
from handlers.arguments import (
    MoveArguments,
    RescheduleArguments,
    after_command,
    cancel_argument,
    move_arguments,
    reschedule_arguments,
    typed_room,
)


def test_move_keeps_the_spaces_of_the_room():
    assert move_arguments("/move panel-3 Hall  B") == MoveArguments("panel-3", "Hall  B")
    assert move_arguments("/move@summit_bot panel-3 Hall B ") == MoveArguments("panel-3", "Hall B")


@pytest.mark.parametrize(
    "text", [None, "", "/move", "/move panel-3", "/move panel-3   ", "/move p " + "x" * 101]
)
def test_move_without_a_room_is_usage(text):
    assert move_arguments(text) is None


def test_move_room_at_the_limit_is_accepted():
    assert move_arguments("/move p " + "x" * 100) == MoveArguments("p", "x" * 100)


def test_reschedule_takes_a_start_and_an_optional_end():
    assert reschedule_arguments(["p", "14:30"]) == RescheduleArguments("p", "14:30", None)
    assert reschedule_arguments(["p", "14:30", "15:00"]) == RescheduleArguments(
        "p", "14:30", "15:00"
    )
    assert reschedule_arguments(["p"]) is None
    assert reschedule_arguments(["p", "1", "2", "3"]) is None


def test_cancel_takes_exactly_one_session():
    assert cancel_argument(["panel-3"]) == "panel-3"
    assert cancel_argument([]) is None
    assert cancel_argument(["panel-3", "now"]) is None


def test_broadcast_text_keeps_its_newlines():
    text = after_command("/broadcast all Line one\nLine two")
    assert text == "all Line one\nLine two"
    audience, body = parse_command(text)
    assert audience is not None and audience.kind is AudienceKind.ALL
    assert body == "Line one\nLine two"


def test_broadcast_without_text():
    assert after_command("/broadcast") == ""
    assert after_command(None) == ""
    assert parse_command(after_command("/urgent all"))[1] == ""


def test_remind_arguments_are_the_domain_rule():
    assert parse_lead(["off"]) == 0
    assert parse_lead(["241"]) is None


def test_a_typed_room_is_one_line():
    assert typed_room("  Hall B ") == "Hall B"
    assert typed_room("Hall\nB") is None
    assert typed_room("   ") is None
    assert typed_room("x" * 101) is None
