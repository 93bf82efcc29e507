"""The settings as frozen, typed values, one dataclass per section of the TOML file.

Their defaults are the documented defaults of `config.example.toml`; reading and checking
the file is `loading`'s and `reader`'s work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TOKEN_ENV = "SUMMITBOT_TOKEN"  # noqa: S105 - the variable's name, not a token
CONFIG_ENV = "SUMMITBOT_CONFIG"
DEFAULT_CONFIG = "config.toml"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


class ConfigError(Exception):
    """A problem with the configuration, worded for the operator."""

    def __init__(self, path: Path | str, key: str | None, problem: str) -> None:
        where = f"{path}: {key}" if key else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = Path(path)
        self.key = key


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    token: str | None
    api_base_url: str = DEFAULT_API_BASE_URL
    api_file_url: str | None = None
    mode: str = "polling"
    webhook_url: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = None

    @property
    def file_url(self) -> str:
        """The file endpoint: explicit, or the API URL with its final `/bot` made `/file/bot`."""
        if self.api_file_url:
            return self.api_file_url
        base = self.api_base_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base.rstrip("/") + "/file/bot"


@dataclass(frozen=True, slots=True)
class StorageSettings:
    database: Path = Path("summit.db")


@dataclass(frozen=True, slots=True)
class SummitSettings:
    name: str = "Summit"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    default_language: str = "en"
    organizers: tuple[int, ...] = ()
    discreet_notifications: bool = True


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    lead_minutes: int = 15
    digest_time: time | None = time(7, 30)


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    messages_per_second: float = 30.0
    stuck_after_minutes: int = 10


@dataclass(frozen=True, slots=True)
class ProgrammeSettings:
    source_url: str | None = None
    """A published schedule (Frab XML / schedule JSON) kept in sync; None = off."""
    poll_minutes: float = 5.0


@dataclass(frozen=True, slots=True)
class LoggingSettings:
    level: str = "INFO"
    format: str = "text"


@dataclass(frozen=True, slots=True)
class BilateralSettings:
    enabled: bool = True
    slot_minutes: int = 30
    turnaround_minutes: int = 15
    per_delegation_per_day: int = 2
    """0 means no cap."""
    request_expiry_hours: float = 12.0
    approval: str = "none"
    """"none", or "organizers": an organizer confirms each booking."""
    hours: tuple[time, time] = (time(8, 0), time(20, 0))
    """When bilateral rooms may be booked, venue time."""

    @property
    def needs_approval(self) -> bool:
        return self.approval == "organizers"


@dataclass(frozen=True, slots=True)
class WebappSettings:
    url: str | None = None
    """The Mini App's public https URL (behind the operator's TLS proxy); None = off."""
    listen: str = "127.0.0.1"
    port: int = 8090


@dataclass(frozen=True, slots=True)
class Settings:
    path: Path
    telegram: TelegramSettings
    storage: StorageSettings = field(default_factory=StorageSettings)
    summit: SummitSettings = field(default_factory=SummitSettings)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    bilaterals: BilateralSettings = field(default_factory=BilateralSettings)
    webapp: WebappSettings = field(default_factory=WebappSettings)
    programme: ProgrammeSettings = field(default_factory=ProgrammeSettings)

    def require_token(self) -> str:
        """The bot token, or a ConfigError saying where to put it."""
        if not self.telegram.token:
            raise ConfigError(
                self.path,
                "telegram.token",
                f"missing — put the token from @BotFather here, or set {TOKEN_ENV}",
            )
        return self.telegram.token

    def with_overrides(self, **sections: Any) -> Settings:
        return replace(self, **sections)


def config_path(cli_value: str | None) -> Path:
    """Where the configuration is: --config, then $SUMMITBOT_CONFIG, then ./config.toml."""
    return Path(cli_value or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
