"""The marked floor plan: the mark is where the room is, and nothing else changes much."""

import io

import pytest
from PIL import Image, ImageChops

from bot.services.floor_plans import MAX_SIDE, PlanUnavailable, fingerprint, render


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.png"
    Image.new("RGB", (800, 500), (250, 250, 250)).save(path)
    return path


def test_the_mark_is_drawn_at_the_room_and_not_in_the_far_corner(plan):
    drawing = render(str(plan), 200, 150, ("Diwan Room", "Floor 2"))
    marked = Image.open(io.BytesIO(drawing.data)).convert("RGB")
    plain = Image.open(plan).convert("RGB")
    assert marked.size == plain.size == (drawing.width, drawing.height)
    around = (180, 130, 220, 170)
    assert ImageChops.difference(marked.crop(around), plain.crop(around)).getbbox() is not None
    corner = (700, 400, 800, 500)
    assert ImageChops.difference(marked.crop(corner), plain.crop(corner)).getbbox() is None


def test_a_right_to_left_label_is_drawn(plan):
    drawing = render(str(plan), 780, 480, ("ديوان", "الطابق ٢"), rtl=True)
    assert Image.open(io.BytesIO(drawing.data)).size == (800, 500)


def test_a_huge_plan_is_scaled_to_what_telegram_accepts(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("RGB", (6000, 4500), "white").save(path)
    drawing = render(str(path), 5000, 4000, ("Room",))
    assert max(drawing.width, drawing.height) == MAX_SIDE
    assert drawing.width + drawing.height <= 10_000


def test_the_fingerprint_changes_with_the_label_the_position_and_the_plan(plan):
    first = fingerprint(str(plan), 1, 2, ("A", "Floor 1"))
    assert first == fingerprint(str(plan), 1, 2, ("A", "Floor 1"))
    assert first != fingerprint(str(plan), 1, 2, ("A", "Étage 1"))
    assert first != fingerprint(str(plan), 2, 2, ("A", "Floor 1"))
    Image.new("RGB", (800, 501), "white").save(plan)
    assert first != fingerprint(str(plan), 1, 2, ("A", "Floor 1"))


def test_a_missing_plan_is_reported(tmp_path):
    with pytest.raises(PlanUnavailable):
        fingerprint(str(tmp_path / "gone.png"), 1, 1, ("A",))
    with pytest.raises(PlanUnavailable):
        render(str(tmp_path / "gone.png"), 1, 1, ("A",))
