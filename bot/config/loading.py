"""Reading the operator's TOML file: the file itself, its encoding, and who may read it."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.config.reader import Reader
from bot.config.settings import ConfigError, Settings


def load_settings(path: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and check the whole file; raise ConfigError on the first problem."""
    env = os.environ if environ is None else environ
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            path, None, "file not found — copy config.example.toml there and edit it"
        ) from None
    except OSError as exc:
        raise ConfigError(path, None, f"cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(path, None, "is not UTF-8 text — save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"is not valid TOML ({exc})") from None
    _refuse_if_exposed(path, data)
    return Reader(path, data).settings(env)


def _refuse_if_exposed(path: Path, data: dict[str, Any]) -> None:
    """A bot token readable by every user of the machine is a token given away."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    section = data.get("telegram", {})
    if mode & 0o004 and isinstance(section, dict) and section.get("token"):
        raise ConfigError(
            path,
            "telegram.token",
            f"the file holds the bot token and every user of this machine can read it — "
            f"run: chmod 600 {path}",
        )
