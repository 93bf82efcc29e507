"""Session keys: short, stable, URL-safe names of sessions for callback data."""

import re

from bot.reply import MAX_CALLBACK_DATA
from bot.views.browse import toggle_data
from bot.views.session_keys import session_key
from tests.views.builders import DAY, session


def test_a_key_is_eleven_url_safe_characters_whatever_the_id():
    for session_id in ["a", "panel-3", "x" * 10_000, "جلسة ١", "🔥" * 50, ""]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{11}", session_key(session_id))


def test_the_same_id_gives_the_same_key_and_others_differ():
    assert session_key("panel-3") == session_key("panel-3")
    keys = {session_key(f"panel-{i}") for i in range(1000)}
    assert len(keys) == 1000
    assert session_key("Panel-3") != session_key("panel-3")  # ids are compared exactly


def test_a_known_key_pins_the_hash():
    # sha256("p1")[:8], URL-safe base64 without padding: a changed scheme would make
    # every button already sent name nothing.
    assert session_key("p1") == "9kVR_NbweCM"


def test_toggle_data_with_the_longest_page_fits():
    data = toggle_data(DAY, 999, session("ü" * 1000))
    assert len(data.encode()) <= MAX_CALLBACK_DATA
