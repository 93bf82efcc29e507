"""Assemble docs/benchmarks.md from the fragments each benchmark wrote to bench/results/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ORDER = (
    "startup",
    "broadcast",
    "reminders",
    "interactive",
    "mixed_load",
    "bilateral_slots",
    "webapp",
)

HEADER = """# Benchmarks

Every figure here comes from a benchmark in `bench/`, run on the project's 2-core
machine; `make bench` runs them all (about 30 minutes) and rewrites this page. Each
section names the command that repeats it alone. The Telegram side is the project's
emulator (`bot/sandbox/`) on 127.0.0.1 with Telegram's limits switched on where the
section says so.
"""


def main() -> None:
    parts = [HEADER]
    names = sorted(path.stem for path in RESULTS.glob("*.md"))
    for name in sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else 99, n)):
        parts.append((RESULTS / f"{name}.md").read_text(encoding="utf-8").strip() + "\n")
    target = ROOT / "docs" / "benchmarks.md"
    target.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)} from {len(names)} result(s)")


if __name__ == "__main__":
    main()
