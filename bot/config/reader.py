"""The parsed TOML, key by key, into the settings dataclasses or a `ConfigError`.

Each section has one method that reads its keys, with their defaults and checks; unknown
sections and keys are refused with the closest known name as a hint.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from datetime import time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from bot.config.settings import (
    DEFAULT_API_BASE_URL,
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
)

_SECTIONS: dict[str, frozenset[str]] = {
    "telegram": frozenset(
        {
            "token",
            "api_base_url",
            "api_file_url",
            "mode",
            "webhook_url",
            "listen",
            "port",
            "secret_token",
        }
    ),
    "storage": frozenset({"database"}),
    "summit": frozenset(
        {"name", "timezone", "default_language", "organizers", "discreet_notifications"}
    ),
    "reminders": frozenset({"lead_minutes", "digest_time"}),
    "delivery": frozenset({"messages_per_second", "stuck_after_minutes"}),
    "logging": frozenset({"level", "format"}),
    "bilaterals": frozenset(
        {
            "enabled",
            "slot_minutes",
            "turnaround_minutes",
            "per_delegation_per_day",
            "request_expiry_hours",
            "approval",
            "hours",
        }
    ),
    "webapp": frozenset({"url", "listen", "port"}),
    "programme": frozenset({"source_url", "poll_minutes"}),
}

T = TypeVar("T")


class Reader:
    """Walks the parsed TOML, turning each key into a typed value or a ConfigError."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, key, problem)

    def check_known_keys(self) -> None:
        for section, value in self.data.items():
            if section not in _SECTIONS:
                raise self.fail(section, f"unknown section{_suggest(section, _SECTIONS)}")
            if not isinstance(value, dict):
                raise self.fail(section, "must be a [section] table")
            for key in value:
                if key not in _SECTIONS[section]:
                    hint = _suggest(key, _SECTIONS[section])
                    raise self.fail(f"{section}.{key}", f"unknown key{hint}")

    def get(self, section: str, key: str, kind: type[T], default: T) -> T:
        value = self.data.get(section, {}).get(key, default)
        # bool is an int in Python; a port of `true` is a mistake, not 1.
        wrong_bool = kind is not bool and isinstance(value, bool)
        if kind is float and isinstance(value, int) and not wrong_bool:
            value = float(value)
        if wrong_bool or not isinstance(value, kind):
            raise self.fail(
                f"{section}.{key}",
                f"must be {_TYPE_NAMES[kind]}, not {_describe(value)}",
            )
        return value

    def optional_str(self, section: str, key: str) -> str | None:
        value = self.get(section, key, str, "")
        return value or None

    def checked(
        self, section: str, key: str, kind: type[T], default: T, check: Callable[[T], str | None]
    ) -> T:
        value = self.get(section, key, kind, default)
        problem = check(value)
        if problem:
            raise self.fail(f"{section}.{key}", problem)
        return value

    def settings(self, env: Mapping[str, str]) -> Settings:
        self.check_known_keys()
        return Settings(
            path=self.path,
            telegram=self.telegram(env),
            storage=StorageSettings(database=self.database()),
            summit=self.summit(),
            reminders=self.reminders(),
            delivery=self.delivery(),
            logging=self.logging(),
            bilaterals=self.bilaterals(),
            webapp=self.webapp(),
            programme=self.programme(),
        )

    def telegram(self, env: Mapping[str, str]) -> TelegramSettings:
        token = env.get(TOKEN_ENV) or self.optional_str("telegram", "token")
        if token is not None and (":" not in token or any(c.isspace() for c in token)):
            source = TOKEN_ENV if env.get(TOKEN_ENV) else "telegram.token"
            raise self.fail(
                source, "does not look like a bot token (digits:letters, as @BotFather gives it)"
            )
        base = self.checked("telegram", "api_base_url", str, DEFAULT_API_BASE_URL, _http_url)
        file_url = self.optional_str("telegram", "api_file_url")
        if file_url is not None and (problem := _http_url(file_url)):
            raise self.fail("telegram.api_file_url", problem)
        mode = self.checked("telegram", "mode", str, "polling", _one_of("polling", "webhook"))
        webhook_url = self.optional_str("telegram", "webhook_url")
        if mode == "webhook" and not webhook_url:
            raise self.fail("telegram.webhook_url", 'required when mode = "webhook"')
        port = self.checked("telegram", "port", int, 8443, _in_range(1, 65535))
        return TelegramSettings(
            token=token,
            api_base_url=base.rstrip("/"),
            api_file_url=file_url.rstrip("/") if file_url else None,
            mode=mode,
            webhook_url=webhook_url,
            listen=self.get("telegram", "listen", str, "127.0.0.1"),
            port=port,
            secret_token=self.optional_str("telegram", "secret_token"),
        )

    def database(self) -> Path:
        value = self.checked("storage", "database", str, "summit.db", _non_empty)
        database = Path(value).expanduser()
        # Relative to the config file, so the bot finds its data whatever directory
        # systemd or the operator starts it from.
        return database if database.is_absolute() else self.path.parent / database

    def summit(self) -> SummitSettings:
        name = self.checked("summit", "name", str, "Summit", _non_empty)
        zone_name = self.get("summit", "timezone", str, "UTC")
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(
                "summit.timezone",
                f"unknown timezone {zone_name!r} — use an IANA name such as 'Asia/Riyadh'",
            ) from None
        language = self.checked("summit", "default_language", str, "en", _known_language)
        organizers = self.get("summit", "organizers", list, [])
        for index, user_id in enumerate(organizers):
            if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
                raise self.fail(
                    f"summit.organizers[{index}]",
                    f"must be a Telegram user id (a positive whole number), not {user_id!r}",
                )
        discreet = self.get("summit", "discreet_notifications", bool, True)
        return SummitSettings(
            name=name,
            timezone=zone,
            default_language=language.lower(),
            organizers=tuple(organizers),
            discreet_notifications=discreet,
        )

    def reminders(self) -> ReminderSettings:
        lead = self.checked("reminders", "lead_minutes", int, 15, _in_range(1, 240))
        digest = self.get("reminders", "digest_time", str, "07:30").strip()
        digest_time: time | None = None
        if digest:
            try:
                digest_time = time.fromisoformat(digest)
            except ValueError:
                raise self.fail(
                    "reminders.digest_time",
                    f'{digest!r} is not a time — write "HH:MM" (e.g. "07:30"), or "" for none',
                ) from None
        return ReminderSettings(lead_minutes=lead, digest_time=digest_time)

    def delivery(self) -> DeliverySettings:
        rate = self.get("delivery", "messages_per_second", float, 30.0)
        if not 0 < rate <= 10_000:
            raise self.fail("delivery.messages_per_second", "must be between 0 and 10000")
        stuck = self.checked("delivery", "stuck_after_minutes", int, 10, _in_range(1, 1440))
        return DeliverySettings(messages_per_second=rate, stuck_after_minutes=stuck)

    def programme(self) -> ProgrammeSettings:
        url = self.optional_str("programme", "source_url")
        if url is not None and (problem := _http_url(url)):
            raise self.fail("programme.source_url", f'{problem} (or "" for no source)')
        minutes = self.get("programme", "poll_minutes", float, 5.0)
        if not 0.05 <= minutes <= 24 * 60:
            raise self.fail(
                "programme.poll_minutes", "must be between 0.05 (3 seconds) and 1440 (a day)"
            )
        return ProgrammeSettings(source_url=url, poll_minutes=minutes)

    def logging(self) -> LoggingSettings:
        level = self.get("logging", "level", str, "INFO").upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise self.fail("logging.level", "must be one of DEBUG, INFO, WARNING, ERROR")
        fmt = self.checked("logging", "format", str, "text", _one_of("text", "json"))
        return LoggingSettings(level=level, format=fmt)

    def bilaterals(self) -> BilateralSettings:
        section = "bilaterals"
        enabled = self.get(section, "enabled", bool, True)
        slot = self.checked(section, "slot_minutes", int, 30, _in_range(5, 480))
        turnaround = self.checked(section, "turnaround_minutes", int, 15, _in_range(0, 240))
        cap = self.checked(section, "per_delegation_per_day", int, 2, _in_range(0, 1000))
        expiry = self.get(section, "request_expiry_hours", float, 12.0)
        if not 0 < expiry <= 24 * 14:
            raise self.fail(f"{section}.request_expiry_hours", "must be between 0 and 336")
        approval = self.checked(section, "approval", str, "none", _one_of("none", "organizers"))
        hours = self.get(section, "hours", str, "08:00-20:00")
        return BilateralSettings(
            enabled=enabled,
            slot_minutes=slot,
            turnaround_minutes=turnaround,
            per_delegation_per_day=cap,
            request_expiry_hours=expiry,
            approval=approval,
            hours=self._hours(f"{section}.hours", hours),
        )

    def _hours(self, key: str, value: str) -> tuple[time, time]:
        start_text, dash, end_text = value.partition("-")
        try:
            if not dash:
                raise ValueError(value)
            start, end = (
                time.fromisoformat(start_text.strip()),
                time.fromisoformat(end_text.strip()),
            )
        except ValueError:
            raise self.fail(
                key, f'{value!r} is not a range of times — write "HH:MM-HH:MM"'
            ) from None
        if end <= start:
            raise self.fail(key, f"{value!r} ends before it starts")
        return start, end

    def webapp(self) -> WebappSettings:
        url = self.optional_str("webapp", "url")
        if url is not None and not url.startswith("https://") and not url.startswith("http://"):
            raise self.fail("webapp.url", f"{url!r} is not an http(s) URL")
        port = self.checked("webapp", "port", int, 8090, _in_range(1, 65535))
        return WebappSettings(
            url=url, listen=self.get("webapp", "listen", str, "127.0.0.1"), port=port
        )


_TYPE_NAMES: dict[type[Any], str] = {
    str: "a string in quotes",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list in [brackets]",
}


def _describe(value: object) -> str:
    for kind, name in ((bool, "true/false"), (str, "a string"), (int, "a number")):
        if isinstance(value, kind):
            return f"{name} ({value!r})"
    if isinstance(value, float):
        return f"a number ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _suggest(word: str, known: object) -> str:
    candidates = sorted(known)  # type: ignore[call-overload]
    close = difflib.get_close_matches(word, candidates, n=1)
    if close:
        return f" — did you mean {close[0]!r}?"
    return f" — known: {', '.join(candidates)}"


def _http_url(value: str) -> str | None:
    if not value.startswith(("http://", "https://")):
        return f"{value!r} is not an http(s) URL"
    return None


def _non_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _one_of(*allowed: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in allowed else f"must be one of {', '.join(map(repr, allowed))}"

    return check


def _in_range(low: int, high: int) -> Callable[[int], str | None]:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"must be between {low} and {high}"

    return check


def _known_language(value: str) -> str | None:
    try:
        Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return f"unknown language {value!r} — use a code such as 'en', 'ar' or 'fr'"
    return None
