import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reply import Button, split_message, utf16_length


def test_short_text_is_one_message():
    assert split_message("hello\nworld") == ["hello\nworld"]


def test_long_text_splits_at_lines_within_the_limit():
    lines = [f"<b>{i:04d}</b> session title that is rather long" for i in range(400)]
    parts = split_message("\n".join(lines))
    assert len(parts) > 1
    assert all(utf16_length(part) <= 4096 for part in parts)
    assert "\n".join(parts).split("\n") == lines


@given(st.text(min_size=1, max_size=20000))
def test_every_part_fits_whatever_the_text(text):
    for part in split_message(text):
        assert utf16_length(part) <= 4096


def test_one_huge_line_is_cut_without_breaking_tags_or_entities():
    line = "<b>x</b> " + "word &amp; " * 2000
    parts = split_message(line)
    assert all(utf16_length(p) <= 4096 for p in parts)
    for part in parts:
        assert "<" not in part
        assert part.count("&") == part.count("&amp;")


def test_callback_data_over_64_bytes_is_refused():
    with pytest.raises(ValueError, match="1-64 bytes"):
        Button("x", "a" * 65)
    Button("x", "é" * 32)  # 64 bytes
