"""A floor plan with one room marked: a circle at the room's position and a label.

Drawn with Pillow; the label is the room's name and floor in the delegate's language, laid
out with libraqm where Pillow has it (Arabic letters joined, right-to-left runs in order).
A drawing is identified by its `fingerprint` (the plan file, the position, the label and
this module's drawing version), so each is uploaded to Telegram once and then re-sent by
its `file_id` (bot.storage.venue.RoomPhotos).

Telegram's photo rules (bot.sandbox.photos checks them the same way): at most 10 MB, width
plus height at most 10,000, sides in a ratio of at most 20. Plans are scaled down to
`MAX_SIDE` (Telegram shows no more than that anyway) and saved as JPEG when PNG is too big.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

DRAWING_VERSION = "1"
MAX_SIDE = 2560
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MARK = (220, 20, 60)  # crimson: visible on the greys and pastels of printed plans
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)
"""Fonts with Arabic, Cyrillic and Latin letters; Pillow's own font (Latin only) otherwise."""


class PlanUnavailable(Exception):
    """The plan file is gone or unreadable since the import; the text says which."""


@dataclass(frozen=True, slots=True)
class Drawing:
    data: bytes
    file_name: str
    width: int
    height: int


def fingerprint(map_path: str, x: int, y: int, label: tuple[str, ...]) -> str:
    """What a drawing depends on; raises PlanUnavailable when the plan file is gone."""
    try:
        stat = Path(map_path).stat()
    except OSError as exc:
        raise PlanUnavailable(f"{map_path}: {exc.strerror}") from exc
    parts = (DRAWING_VERSION, map_path, stat.st_size, stat.st_mtime_ns, x, y, *label)
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size, layout_engine=engine)
    return ImageFont.load_default(size)


def render(map_path: str, x: int, y: int, label: tuple[str, ...], *, rtl: bool = False) -> Drawing:
    """The plan with a ring around (x, y) and `label` (one line each) beside it; `rtl`
    aligns the label's lines to the right, as right-to-left readers expect."""
    try:
        with Image.open(map_path) as source:
            plan = source.convert("RGB")
    except (OSError, ValueError) as exc:
        raise PlanUnavailable(f"{map_path}: {exc}") from exc
    scale = min(1.0, MAX_SIDE / max(plan.size))
    if scale < 1.0:
        size = (max(1, round(plan.width * scale)), max(1, round(plan.height * scale)))
        plan = plan.resize(size, Image.Resampling.LANCZOS)
    cx, cy = round(x * scale), round(y * scale)
    _mark(plan, cx, cy, label, rtl)
    return _encode(plan)


def _mark(plan: Image.Image, cx: int, cy: int, label: tuple[str, ...], rtl: bool) -> None:
    width, height = plan.size
    radius = max(14, min(width, height) // 22)
    ring = max(4, radius // 4)
    # A translucent disc under the ring keeps the room's own drawing readable.
    overlay = Image.new("RGBA", plan.size, (0, 0, 0, 0))
    draw_overlay = ImageDraw.Draw(overlay)
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    draw_overlay.ellipse(box, fill=(*MARK, 70))
    plan.paste(Image.alpha_composite(plan.convert("RGBA"), overlay).convert("RGB"))
    draw = ImageDraw.Draw(plan)
    draw.ellipse(box, outline=MARK, width=ring)
    font = _font(max(14, radius * 3 // 4))
    text = "\n".join(line for line in label if line)
    if not text:
        return
    spacing = max(2, radius // 6)
    align = "right" if rtl else "left"
    left, top, right, bottom = draw.multiline_textbbox(
        (0, 0), text, font=font, spacing=spacing, align=align
    )
    pad = max(4, radius // 4)
    box_w, box_h = right - left + 2 * pad, bottom - top + 2 * pad
    # Beside the ring on the side with room, then kept inside the image.
    bx = cx + radius + ring if cx + radius + ring + box_w <= width else cx - radius - ring - box_w
    by = cy - box_h // 2
    bx = min(max(0, bx), max(0, width - box_w))
    by = min(max(0, by), max(0, height - box_h))
    draw.rectangle((bx, by, bx + box_w, by + box_h), fill=(255, 255, 255), outline=MARK, width=2)
    draw.multiline_text(
        (bx + pad - left, by + pad - top),
        text,
        font=font,
        fill=(20, 20, 20),
        spacing=spacing,
        align=align,
    )


def _encode(plan: Image.Image) -> Drawing:
    out = io.BytesIO()
    plan.save(out, format="PNG", optimize=True)
    if out.tell() <= MAX_PHOTO_BYTES:
        return Drawing(out.getvalue(), "map.png", plan.width, plan.height)
    out = io.BytesIO()
    plan.save(out, format="JPEG", quality=85)
    return Drawing(out.getvalue(), "map.jpg", plan.width, plan.height)
