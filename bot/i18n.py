"""Translations, language negotiation, and locale-aware dates, times and numbers.

Every user-facing string goes through a `Translator`: `t.gettext("Room {room}", room=...)`.
Values interpolated into a message are HTML-escaped (messages are sent with
parse_mode=HTML) unless they are `Html`, and in right-to-left languages they are wrapped
in Unicode isolates so that a Latin room name or a time inside Arabic text keeps its own
direction instead of scrambling the sentence around it.

Catalogs are read from `locales/<lang>/LC_MESSAGES/messages.po` at start-up and compiled
in memory with Babel: no build step, and no compiled `.mo` file that could drift from its
`.po` source.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property
from gettext import NullTranslations
from pathlib import Path
from typing import Final

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

SOURCE_LANGUAGE: Final = "en"
SUPPORTED_LANGUAGES: Final = ("en", "ar", "fr", "tr", "fa", "ur", "id", "ru")
RTL_LANGUAGES: Final = frozenset({"ar", "fa", "ur", "he"})
LOCALES_DIR: Final = Path(__file__).resolve().parent.parent / "locales"
DOMAIN: Final = "messages"

# Babel's plain "en" is American English with a 12-hour clock; an international summit
# (and every military delegate) reads 24-hour times, so English formats as en_GB.
_FORMAT_LOCALES: Final = {"en": "en_GB"}

FSI: Final = "\u2068"  # first strong isolate: the value takes its own direction
PDI: Final = "\u2069"  # pop directional isolate
_STRONG_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


class Html(str):
    """Text that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


def escape(text: str) -> Html:
    """Escape text from files or users for Telegram's HTML parse mode."""
    return Html(html.escape(text, quote=False))


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is used."""
    return message


def base_language(tag: str | None) -> str | None:
    """The base language of an IETF tag or locale name: 'ar-SA' -> 'ar', 'pt_BR' -> 'pt'."""
    if not tag:
        return None
    base = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return base if re.fullmatch(r"[a-z]{2,3}", base) else None


def negotiate(*candidates: str | None, default: str) -> str:
    """The first candidate whose base language the bot speaks, else the default.

    Callers pass, in order: the delegate's own choice, the delegates file, Telegram's
    `language_code`. Each may be an IETF tag such as 'fa-IR'.
    """
    for candidate in candidates:
        language = base_language(candidate)
        if language in SUPPORTED_LANGUAGES:
            return language
    return default


@dataclass(frozen=True)
class Translator:
    """Everything language-dependent for one language."""

    language: str
    translations: NullTranslations
    timezone: tzinfo

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(_FORMAT_LOCALES.get(self.language, self.language))

    @property
    def rtl(self) -> bool:
        return self.language in RTL_LANGUAGES

    def gettext(self, message: str, /, **values: object) -> str:
        """Translate `message` and fill its `{placeholders}` with escaped, isolated values."""
        return self._fill(self.translations.gettext(message), values)

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """Translate with the language's plural rule; `{count}` is the formatted number."""
        template = self.translations.ngettext(singular, plural, count)
        return self._fill(template, {"count": self.number(count), **values})

    def _fill(self, template: str, values: Mapping[str, object]) -> str:
        if not values:
            return template
        return template.format_map({key: self.value(value) for key, value in values.items()})

    def value(self, value: object) -> str:
        """One interpolated value: escaped unless Html, isolated where direction can clash."""
        text = value if isinstance(value, Html) else html.escape(str(value), quote=False)
        if isinstance(value, Html) and not self.rtl:
            return text
        if self.rtl or _STRONG_RTL.search(text):
            return f"{FSI}{text}{PDI}"
        return text

    def isolate(self, text: str) -> str:
        """Isolate already-escaped text (e.g. a button label part) in RTL languages."""
        return f"{FSI}{text}{PDI}" if self.rtl or _STRONG_RTL.search(text) else text

    def number(self, value: int) -> str:
        return self._digits(
            numbers.format_decimal(value, locale=self.locale, numbering_system="default")
        )

    def time(self, moment: datetime) -> str:
        """Clock time in the venue's timezone: '09:00', '۰۹:۰۰'."""
        return self._digits(
            dates.format_time(moment, "short", tzinfo=self.timezone, locale=self.locale)
        )

    def day(self, day: date) -> str:
        """A day heading: 'Tuesday, 1 December 2026'."""
        return self._digits(dates.format_date(day, "full", locale=self.locale))

    def short_day(self, day: date) -> str:
        """A compact day for buttons: 'Tue 1 Dec'."""
        return self._digits(dates.format_skeleton("MMMEd", day, locale=self.locale))

    def until(self, delta: timedelta) -> str:
        """How long until something starts: 'in 25 minutes'."""
        text = dates.format_timedelta(
            max(delta, timedelta(minutes=1)),
            granularity="minute",
            threshold=1.5,
            add_direction=True,
            format="long",
            locale=self.locale,
        )
        return self._digits(text)

    def venue_date(self, moment: datetime) -> date:
        return moment.astimezone(self.timezone).date()

    @cached_property
    def _digit_table(self) -> dict[int, str]:
        return _digit_table(self.locale)

    def _digits(self, text: str) -> str:
        """Use the locale's own digits (Persian, for one, writes ۰۱۲۳…)."""
        return text.translate(self._digit_table) if self._digit_table else text


# Babel formats with Latin digits whatever the locale; CLDR names each locale's own
# numbering system, and these are the ones the summit's languages can default to.
_NATIVE_DIGITS: Final = {
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
}


def _digit_table(locale: Locale) -> dict[int, str]:
    digits = _NATIVE_DIGITS.get(locale.default_numbering_system, "")
    return {ord(str(i)): digit for i, digit in enumerate(digits)}


class Catalogs:
    """The translators for every supported language, loaded once at start-up."""

    def __init__(self, translators: Mapping[str, Translator], default: str) -> None:
        self._translators = dict(translators)
        self.default = default

    @classmethod
    def load(
        cls,
        timezone: tzinfo,
        default: str = SOURCE_LANGUAGE,
        locales_dir: Path = LOCALES_DIR,
        languages: Iterable[str] = SUPPORTED_LANGUAGES,
    ) -> Catalogs:
        translators = {
            language: Translator(language, _load_catalog(locales_dir, language), timezone)
            for language in languages
        }
        return cls(translators, default)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._translators)

    def get(self, language: str | None) -> Translator:
        return self._translators.get(language or self.default) or self._translators[self.default]


def _load_catalog(locales_dir: Path, language: str) -> NullTranslations:
    po_path = locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


# CLDR calls Indonesian "Indonesia" in itself; speakers call their language this.
_OWN_NAMES: Final = {"id": "Bahasa Indonesia"}


def language_name(language: str) -> str:
    """A language's name in itself, for the /language buttons: 'العربية', 'Français'."""
    if language in _OWN_NAMES:
        return _OWN_NAMES[language]
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]
