"""Translations, language negotiation, and locale-aware dates, times and numbers.

Every user-facing string goes through a `Translator`: `t.gettext("Room {room}", room=...)`.
Values interpolated into a message are HTML-escaped (messages are sent with
parse_mode=HTML) unless they are `Html`, and in right-to-left languages they are wrapped
in Unicode isolates so that a Latin room name or a time inside Arabic text keeps its own
direction instead of scrambling the sentence around it.

Catalogs are read from `<lang>/LC_MESSAGES/messages.po` at start-up and compiled in memory
with Babel: no compiled `.mo` file that could drift from its `.po` source. The translators'
home is `locales/` at the top of the repository; the wheel carries a copy as `bot/locales`
(setup.py), and `LOCALES_DIR` is whichever of the two this installation has.

Nothing falls back silently: a catalog that is missing, does not parse, or leaves a message
of the template (`messages.pot`) untranslated raises `CatalogError`, and the bot does not
start (a delegate answered in English by a bot that should speak Persian is a failure an
operator must see at once, not in the delegates' complaints).
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
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

SOURCE_LANGUAGE: Final = "en"
SUPPORTED_LANGUAGES: Final = ("en", "ar", "fr", "tr", "fa", "ur", "id", "ru")
RTL_LANGUAGES: Final = frozenset({"ar", "fa", "ur", "he"})
DOMAIN: Final = "messages"


def _locales_dir() -> Path:
    """`bot/locales` in an installed wheel; `locales/` beside `bot/` in a source checkout
    (an editable install), where the build has not copied anything."""
    package = Path(__file__).resolve().parent
    packaged = package / "locales"
    return packaged if packaged.is_dir() else package.parent / "locales"


LOCALES_DIR: Final = _locales_dir()

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
        locales_dir: Path | None = None,
        languages: Iterable[str] = SUPPORTED_LANGUAGES,
    ) -> Catalogs:
        """Every language's catalog, or `CatalogError` naming the first unusable one."""
        locales_dir = locales_dir or LOCALES_DIR
        languages = tuple(languages)
        wanted = template_ids(locales_dir) if set(languages) - {SOURCE_LANGUAGE} else frozenset()
        translators = {
            language: Translator(language, load_catalog(locales_dir, language, wanted), timezone)
            for language in languages
        }
        return cls(translators, default)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._translators)

    def get(self, language: str | None) -> Translator:
        return self._translators.get(language or self.default) or self._translators[self.default]


class CatalogError(Exception):
    """A catalog the bot cannot speak from; the message names the file and what to do."""


_REMEDY: Final = (
    "reinstall summitbot (pip install --force-reinstall summitbot-*.whl), or in a source "
    "checkout restore locales/ and run `make i18n`"
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

MessageId = str | tuple[str, ...]


def catalog_path(locales_dir: Path, language: str) -> Path:
    return locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_ids(locales_dir: Path) -> frozenset[MessageId]:
    """Every message the code can ask for, from the template `messages.pot`."""
    path = locales_dir / f"{DOMAIN}.pot"
    catalog = _read(path, None)
    return frozenset(_message_id(message.id) for message in catalog if message.id)


def _message_id(raw: str | Iterable[str]) -> MessageId:
    return raw if isinstance(raw, str) else tuple(raw)


def _read(path: Path, language: str | None) -> Catalog:
    try:
        with path.open("rb") as po_file:
            return read_po(po_file, locale=language, abort_invalid=True)
    except FileNotFoundError:
        raise CatalogError(f"{path}: missing — {_REMEDY}") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot be read ({exc.strerror}) — {_REMEDY}") from None
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        detail = " ".join(str(exc).split())  # one line, whatever the parser said
        raise CatalogError(f"{path}: does not parse ({detail}) — fix it, or {_REMEDY}") from None


def _first_gap(catalog: Catalog, wanted: frozenset[MessageId]) -> str | None:
    """What makes the catalog unusable for the template's messages, or None."""
    messages = {_message_id(m.id): m for m in catalog if m.id}
    missing = sorted(_singular(message_id) for message_id in wanted - messages.keys())
    if missing:
        return f"{len(missing)} message(s) missing, first {missing[0]!r}"
    for message_id in sorted(wanted, key=str):
        message = messages[message_id]
        first = message_id if isinstance(message_id, str) else message_id[0]
        raw = message.string
        targets = [raw] if isinstance(raw, str) else list(raw or ())
        if message.fuzzy:
            return f"{first!r} is marked fuzzy (needs review)"
        if isinstance(message_id, tuple) and len(targets) != catalog.num_plurals:
            return (
                f"{first!r} has {len(targets)} plural forms, the language has {catalog.num_plurals}"
            )
        english = message_id if isinstance(message_id, str) else message_id[-1]
        expected = set(_PLACEHOLDER.findall(english))
        # A plural form may spell its number out ("one session"), leaving {count} out.
        allowed = [expected, expected - {"count"}] if isinstance(message_id, tuple) else [expected]
        for target in targets:
            if not target.strip():
                return f"{first!r} is not translated"
            found = set(_PLACEHOLDER.findall(target))
            if found not in allowed:
                return f"{first!r} has placeholders {sorted(found)}, the English {sorted(expected)}"
    return None


def _singular(message_id: MessageId) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def load_catalog(
    locales_dir: Path, language: str, wanted: frozenset[MessageId]
) -> NullTranslations:
    """The compiled translations for `language`; `CatalogError` unless every message of
    `wanted` is translated with the English placeholders."""
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    path = catalog_path(locales_dir, language)
    catalog = _read(path, language)
    gap = _first_gap(catalog, wanted)
    if gap is not None:
        raise CatalogError(
            f"{path}: incomplete: {gap} — translate it (README: Languages and "
            f"translators), or {_REMEDY}"
        )
    compiled = io.BytesIO()
    try:
        write_mo(compiled, catalog, use_fuzzy=False)
    except (ValueError, TypeError) as exc:  # pragma: no cover - read_po already validated
        raise CatalogError(f"{path}: does not compile ({exc}) — fix it, or {_REMEDY}") from None
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
