"""The demo summit's venue: two buildings, floor plans drawn by code, a rooms file.

The plans are drawn with Pillow when the demo starts (no image files to ship) and written
next to the rooms file, whose `map` column points to them relative to itself — exactly what
an organizer does with `summitbot import rooms.csv`. Directions come in all eight languages,
and the two bilateral suites are the pool for bilateral meetings.

Room names are those of bot.sandbox.demo_summit's programme, so every session's room has a
📍 button.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.sandbox import demo_summit as programme

__all__ = ["LANGUAGES", "ROOMS", "DemoRoom", "draw_plan", "rooms_csv", "write_demo_venue"]

LANGUAGES = ("en", "ar", "fr", "tr", "fa", "ur", "id", "ru")
PLAN_SIZE = (1200, 800)

CENTRE = "Conference Centre"
PAVILION = "East Pavilion"
BUILDINGS = {
    # Fictional addresses; coordinates near a venue in the demo's timezone (Asia/Riyadh).
    CENTRE: (24.713600, 46.675300, "1 Summit Avenue, North Gate"),
    PAVILION: (24.714200, 46.678100, "3 Summit Avenue, East Gate"),
}


@dataclass(frozen=True)
class DemoRoom:
    name: str
    building: str
    floor: str
    capacity: int
    box: tuple[int, int, int, int]
    """Where the room is drawn on its floor's plan (left, top, right, bottom)."""
    side: str
    """Which way to turn at the top of the stairs: "left" or "right"."""
    door: int
    kind: str = ""
    accessible: str = "yes"

    @property
    def plan_file(self) -> str:
        slug = self.building.lower().replace(" ", "-")
        return f"maps/{slug}-floor-{self.floor}.png"

    @property
    def position(self) -> tuple[int, int]:
        left, top, right, bottom = self.box
        return (left + right) // 2, (top + bottom) // 2


ROOMS = (
    DemoRoom(programme.PLENARY_HALL, CENTRE, "0", 1200, (120, 140, 620, 520), "left", 1),
    DemoRoom(programme.BALLROOM, CENTRE, "0", 600, (700, 140, 1080, 520), "right", 2),
    DemoRoom(programme.ROOM_1, CENTRE, "1", 120, (120, 140, 400, 380), "left", 11),
    DemoRoom(programme.ROOM_2, CENTRE, "1", 120, (460, 140, 740, 380), "left", 12),
    DemoRoom(programme.ROOM_3, CENTRE, "1", 80, (800, 140, 1080, 380), "right", 13),
    DemoRoom(programme.DIWAN, CENTRE, "1", 40, (800, 410, 1080, 570), "right", 14),
    DemoRoom(programme.EXHIBITION_HALL, PAVILION, "0", 2000, (120, 140, 1080, 560), "left", 1),
    DemoRoom(
        programme.SUITE_A, PAVILION, "1", 12, (120, 140, 520, 420), "left", 21, kind="bilateral"
    ),
    DemoRoom(
        programme.SUITE_B, PAVILION, "1", 12, (680, 140, 1080, 420), "right", 22, kind="bilateral"
    ),
)

# One sentence per language; `{door}` and `{floor}` are filled in, `{side}` from _SIDES.
_UPSTAIRS = {
    "en": "Enter by the main door and take the lift or the stairs to floor {floor}; turn "
    "{side}: it is door {door}.",
    "ar": "ادخل من الباب الرئيسي واصعد بالمصعد أو الدرج إلى الطابق {floor}، ثم اتجه إلى "
    "{side}: إنها القاعة رقم {door}.",
    "fr": "Entrez par la porte principale et prenez l'ascenseur ou l'escalier jusqu'à "
    "l'étage {floor}, puis tournez à {side} : c'est la porte {door}.",
    "tr": "Ana kapıdan girin, asansör veya merdivenle {floor}. kata çıkın ve {side} dönün: "
    "{door} numaralı kapı.",
    "fa": "از در اصلی وارد شوید و با آسانسور یا پله به طبقه {floor} بروید، سپس به {side} "
    "بپیچید: در شماره {door}.",
    "ur": "مرکزی دروازے سے داخل ہوں، لفٹ یا سیڑھیوں سے منزل {floor} پر جائیں اور {side} "
    "مڑیں: یہ دروازہ نمبر {door} ہے۔",
    "id": "Masuk melalui pintu utama, naik lift atau tangga ke lantai {floor}, lalu belok "
    "{side}: pintu nomor {door}.",
    "ru": "Войдите через главный вход, поднимитесь на лифте или по лестнице на {floor}-й "
    "этаж и поверните {side}: это дверь {door}.",
}
_GROUND = {
    "en": "Enter by the main door and turn {side}: it is door {door}, on the ground floor.",
    "ar": "ادخل من الباب الرئيسي واتجه إلى {side}: إنها القاعة رقم {door} في الطابق الأرضي.",
    "fr": "Entrez par la porte principale et tournez à {side} : c'est la porte {door}, au "
    "rez-de-chaussée.",
    "tr": "Ana kapıdan girin ve {side} dönün: zemin kattaki {door} numaralı kapı.",
    "fa": "از در اصلی وارد شوید و به {side} بپیچید: در شماره {door} در طبقه همکف.",
    "ur": "مرکزی دروازے سے داخل ہوں اور {side} مڑیں: یہ زمینی منزل پر دروازہ نمبر {door} ہے۔",
    "id": "Masuk melalui pintu utama dan belok {side}: pintu nomor {door} di lantai dasar.",
    "ru": "Войдите через главный вход и поверните {side}: это дверь {door} на первом этаже.",
}
_SIDES = {
    "en": {"left": "left", "right": "right"},
    "ar": {"left": "اليسار", "right": "اليمين"},
    "fr": {"left": "gauche", "right": "droite"},
    "tr": {"left": "sola", "right": "sağa"},
    "fa": {"left": "چپ", "right": "راست"},
    "ur": {"left": "بائیں", "right": "دائیں"},
    "id": {"left": "kiri", "right": "kanan"},
    "ru": {"left": "налево", "right": "направо"},
}


def directions(room: DemoRoom, language: str) -> str:
    template = (_GROUND if room.floor == "0" else _UPSTAIRS)[language]
    return template.format(floor=room.floor, side=_SIDES[language][room.side], door=room.door)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def draw_plan(building: str, floor: str) -> bytes:
    """A plain floor plan: the building's outline, a corridor, its rooms with their names."""
    image = Image.new("RGB", PLAN_SIZE, (248, 247, 242))
    draw = ImageDraw.Draw(image)
    width, height = PLAN_SIZE
    draw.rectangle((60, 80, width - 60, height - 60), outline=(60, 60, 60), width=6)
    draw.text((70, 20), f"{building} — floor {floor}", fill=(40, 40, 40), font=_font(30))
    draw.rectangle((60, 590, width - 60, 640), fill=(228, 226, 218))
    draw.rectangle((560, height - 66, 640, height - 54), fill=(90, 140, 90))  # main door
    for room in ROOMS:
        if room.building == building and room.floor == floor:
            draw.rectangle(room.box, fill=(225, 232, 240), outline=(70, 90, 120), width=4)
            left, top, _, _ = room.box
            draw.text((left + 14, top + 12), room.name, fill=(30, 40, 60), font=_font(22))
            draw.text((left + 14, top + 42), f"{room.door}", fill=(90, 90, 90), font=_font(18))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def rooms_csv() -> bytes:
    columns = [
        "room", "building", "floor", "capacity", "latitude", "longitude", "address", "map",
        "x", "y", "kind", "accessible", "directions",
        *(f"directions:{language}" for language in LANGUAGES if language != "en"),
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for room in ROOMS:
        latitude, longitude, address = BUILDINGS[room.building]
        x, y = room.position
        writer.writerow(
            [
                room.name, room.building, room.floor, room.capacity, f"{latitude:.6f}",
                f"{longitude:.6f}", address, room.plan_file, x, y, room.kind, room.accessible,
                directions(room, "en"),
                *(directions(room, language) for language in LANGUAGES if language != "en"),
            ]
        )  # fmt: skip
    return out.getvalue().encode()


def write_demo_venue(directory: Path) -> Path:
    """Writes the plans and the rooms file into `directory`; returns the rooms file's path."""
    (directory / "maps").mkdir(parents=True, exist_ok=True)
    for building, floor in sorted({(room.building, room.floor) for room in ROOMS}):
        plan = next(r for r in ROOMS if r.building == building and r.floor == floor).plan_file
        (directory / plan).write_bytes(draw_plan(building, floor))
    path = directory / "rooms.csv"
    path.write_bytes(rooms_csv())
    return path


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.sandbox.demo_venue OUT.png [ROOM] [LANGUAGE]`: a demo room's marked plan,
    drawn by the bot's own renderer (the picture in docs/ is made this way)."""
    import argparse
    import tempfile
    from datetime import UTC

    from bot.domain.rooms import Room
    from bot.i18n import Catalogs
    from bot.services.floor_plans import render
    from bot.views.where import map_label

    parser = argparse.ArgumentParser(prog="python -m bot.sandbox.demo_venue")
    parser.add_argument("out", type=Path)
    parser.add_argument("room", nargs="?", default=programme.DIWAN)
    parser.add_argument("language", nargs="?", default="en")
    options = parser.parse_args(argv)
    room = next((r for r in ROOMS if r.name.casefold() == options.room.casefold()), None)
    if room is None:
        parser.error(f"no demo room {options.room!r}; rooms: {', '.join(r.name for r in ROOMS)}")
    t = Catalogs.load(UTC).get(options.language)
    label = map_label(t, Room(room.name, room.building, room.floor, room.capacity))
    with tempfile.TemporaryDirectory() as folder:
        write_demo_venue(Path(folder))
        x, y = room.position
        drawing = render(str(Path(folder) / room.plan_file), x, y, label, rtl=t.rtl)
    options.out.write_bytes(drawing.data)
    print(f"{options.out}: {drawing.width}×{drawing.height}, {len(drawing.data):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
