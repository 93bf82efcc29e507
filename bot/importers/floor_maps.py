"""The floor plans a rooms file points to: found, readable, and how big.

A `map` cell is a path relative to the rooms file (SPEC §4), so it can only be resolved for a
file read from disk by `summitbot import`. A rooms file sent to the bot in chat arrives
without its images: the organizer is told to import it on the server instead, rather than the
bot storing a path to nothing.

The rooms table keeps the plan's absolute path (not a copy): the operator keeps the plans
where the rooms file is, `summitbot check` can verify them, and a new plan at the same path
is picked up (the rendered maps are keyed by the file's size and modification time).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

FORMATS = frozenset({"PNG", "JPEG"})


@dataclass(frozen=True, slots=True)
class PlanImage:
    path: Path
    width: int
    height: int


class MapFiles:
    """Resolves and opens each plan once per import, however many rooms share it."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._seen: dict[str, PlanImage | str] = {}

    def image(self, cell: str) -> PlanImage | str:
        """The plan named by a `map` cell, or the problem to report (a message)."""
        if cell not in self._seen:
            self._seen[cell] = self._open(cell)
        return self._seen[cell]

    def _open(self, cell: str) -> PlanImage | str:
        if self.directory is None:
            return (
                f'map "{cell}" cannot be used in a file sent through chat: the bot cannot see '
                "image files on your computer — copy the rooms file and its maps to the server "
                "and run `summitbot import rooms.csv` there (or leave the map column empty)"
            )
        path = (self.directory / cell).resolve()
        if not path.is_file():
            return (
                f'map "{cell}" not found (looked for {path}) — the map path is relative to the '
                "rooms file"
            )
        try:
            with Image.open(path) as image:
                image_format = image.format or ""
                width, height = image.size
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            return f'map "{cell}" is not a readable PNG or JPEG image ({exc.__class__.__name__})'
        if image_format not in FORMATS:
            return f'map "{cell}" is a {image_format} image — use a PNG or JPEG floor plan'
        return PlanImage(path, width, height)
