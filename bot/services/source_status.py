"""The programme source's state in words: one line for `summitbot status`, lines for `/stats`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bot.domain.sources import SourceState


def status_lines(configured: str | None, states: Sequence[SourceState], zone: tzinfo) -> list[str]:
    """English, for operators: the configured URL first, then any other URL imported once."""

    def when(state: SourceState, kind: str) -> str:
        moment = state.success_at if kind == "success" else state.error_at
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if moment else "never"

    by_url = {state.url: state for state in states}
    urls = ([configured] if configured else []) + sorted(u for u in by_url if u != configured)
    if not urls:
        return ["programme source: none configured"]
    lines = []
    for url in urls:
        state = by_url.get(url, SourceState(url))
        label = "programme source" if url == configured else "programme source (imported once)"
        line = f"{label}: {url} — last success {when(state, 'success')}"
        if state.error:
            line += f"; LAST ERROR {when(state, 'error')}: {state.error}"
        elif state.checked_at is None:
            line += " (not fetched yet)"
        lines.append(line)
    return lines
