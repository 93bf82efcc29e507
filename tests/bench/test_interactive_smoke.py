"""bench/interactive.py end to end at a tiny scale, so the benchmark never rots.

The real bot and the echo bot each start against the emulator, take a closed loop and
one open load from a few users, and the results page comes out with both tables. The
figures themselves mean nothing at this size (and on a busy CI machine); what is checked
is that every update was answered, by both bots, and that the page has its parts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bench import interactive

pytestmark = pytest.mark.e2e


def test_tiny_run_answers_every_update_and_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "interactive.md"
    affinity = os.sched_getaffinity(0)
    code = interactive.main(
        [
            "--delegates", "40", "--users", "8", "--seconds", "1", "--warmup", "0.2",
            "--loads", "20", "--mode", "polling", "--quiet-wait", "0", "--out", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    assert os.sched_getaffinity(0) == affinity, "the benchmark must give the cores back"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("## Interactive load\n")
    for part in ("### Closed loop (8 users)", "### Open loop", "Summit Bot ÷ echo", "Verdict:"):
        assert part in page
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in page.splitlines()
        if re.match(r"\| (Summit Bot|echo bot \(baseline\)) \|", line)
    ]
    assert len(rows) == 4, page  # closed and open loop, for each bot
    for cells in rows:
        assert cells[-1] == "0", f"unanswered updates: {cells}"
