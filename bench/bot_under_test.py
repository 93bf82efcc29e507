"""The bot under test as every benchmark configures and drives it: one operator's config,
a delegate's press on a random button."""

from __future__ import annotations

import random
from pathlib import Path

from bot.sandbox.driver import BotMessage


def write_bot_config(
    path: Path,
    token: str,
    api_base_url: str,
    *,
    timezone: str = "Asia/Riyadh",
    telegram: str = "",
    digest_time: str | None = None,
    messages_per_second: float | None = None,
) -> Path:
    """An operator's config for the benchmark summit at `path` (owner-only): INFO logging,
    the database next to it. `telegram` adds lines to [telegram]; a [reminders] digest time
    and a [delivery] budget are written only when given."""
    reminders = f'\n[reminders]\ndigest_time = "{digest_time}"\n' if digest_time is not None else ""
    delivery = (
        f"\n[delivery]\nmessages_per_second = {messages_per_second}\n"
        if messages_per_second is not None
        else ""
    )
    path.write_text(
        f"""[telegram]
token = "{token}"
api_base_url = "{api_base_url}"
{telegram}
[storage]
database = "summit.db"

[summit]
name = "Defense & Security Summit (benchmark)"
timezone = "{timezone}"
default_language = "en"
organizers = [111111111]
{reminders}{delivery}
[logging]
level = "INFO"
""",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def any_button(message: BotMessage, rng: random.Random) -> str:
    """The callback data of one of `message`'s buttons, chosen with `rng`."""
    return rng.choice([b.callback_data for row in message.buttons for b in row if b.callback_data])
