"""Settings read from the operator's TOML file into frozen, typed values.

Every mistake in the file becomes one `ConfigError` whose text names the file, the key
and what to do about it, because the operator reads it on a console at the venue and a
traceback helps nobody there. Unknown keys are errors too: a typo such as `timezon`
would otherwise silently fall back to a default.

`settings` holds the dataclasses (and `config_path`), `loading` reads the file, and
`reader` turns its keys into values.
"""

from bot.config.loading import load_settings
from bot.config.settings import (
    CONFIG_ENV,
    DEFAULT_API_BASE_URL,
    DEFAULT_CONFIG,
    TOKEN_ENV,
    BilateralSettings,
    ConfigError,
    DeliverySettings,
    LoggingSettings,
    ProgrammeSettings,
    ReminderSettings,
    Settings,
    StorageSettings,
    SummitSettings,
    TelegramSettings,
    WebappSettings,
    config_path,
)

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_API_BASE_URL",
    "DEFAULT_CONFIG",
    "TOKEN_ENV",
    "BilateralSettings",
    "ConfigError",
    "DeliverySettings",
    "LoggingSettings",
    "ProgrammeSettings",
    "ReminderSettings",
    "Settings",
    "StorageSettings",
    "SummitSettings",
    "TelegramSettings",
    "WebappSettings",
    "config_path",
    "load_settings",
]
