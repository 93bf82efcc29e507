"""Language codes in data files, reduced to the one form the bot matches on.

A delegate's language picks which `title:<lang>` translation they see, so both sides are
normalised the same way: the base language in lower case (`ar-SA`, `pt_BR` -> `ar`, `pt`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel.localedata import normalize_locale

from bot.importers.issues import Invalid

_SIMPLE = re.compile(r"[A-Za-z]{2,3}", re.ASCII)
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", re.ASCII)
LANGUAGE_HINT = "use a language code such as en, fr, ar or pt-BR"


@lru_cache(maxsize=1024)  # a file repeats a few codes thousands of times; Babel's lookup is slow
def normalize_language(code: str, *, allow_unlisted: bool = False) -> str:
    """The lower-case base language of `code`, known to Babel (CLDR).

    With `allow_unlisted`, any plain two- or three-letter code is accepted too: CLDR lacks
    some languages a translator may still want to provide a title in.
    """
    text = code.strip()
    if _LOCALE.fullmatch(text) is not None:
        identifier = normalize_locale(text.replace("-", "_"))
        if identifier is not None:
            return identifier.split("_", 1)[0].lower()
        base = re.split(r"[-_]", text, maxsplit=1)[0]
        if normalize_locale(base) is not None:
            # A region Babel has no data for (e.g. `fr-XY`) still names a known language.
            return base.lower()
        if allow_unlisted and _SIMPLE.fullmatch(text) is not None:
            return text.lower()
    raise Invalid(f'unknown language "{code}" — {LANGUAGE_HINT}')
