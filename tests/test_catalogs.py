"""The translation catalogs are complete and correct, and the template matches the code.

This is what makes a new message added in code without translations fail `make test`:
the extracted template would differ from locales/messages.pot, and once `make i18n`
updates the catalogs, its empty translations fail the completeness check.
"""

import re
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import SOURCE_LANGUAGE, SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
sys.path.insert(0, str(LOCALES))
from plural_forms import PLURAL_FORMS  # noqa: E402

TRANSLATED = [language for language in SUPPORTED_LANGUAGES if language != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
TAG = re.compile(r"</?[a-z]+>")
LETTERS = re.compile(r"[^\W\d_]")


def catalog(language):
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def code_messages():
    found = set()
    for directory in ("bot", "handlers"):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / directory,
            method_map=[("**.py", "python")],
            keywords={"gettext": None, "ngettext": (1, 2), "N_": None},
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_template_matches_the_code():
    with (LOCALES / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    in_template = {m.id if isinstance(m.id, str) else tuple(m.id) for m in template if m.id}
    in_code = code_messages()
    assert in_code - in_template == set(), "new messages in code: run `make i18n`"
    assert in_template - in_code == set(), "messages no longer in code: run `make i18n`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_follow_cldr(language):
    messages = catalog(language)
    nplurals = re.search(r"nplurals=(\d+)", PLURAL_FORMS[language])
    assert nplurals is not None
    expected = int(nplurals[1])
    assert messages.num_plurals == expected


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_translated_with_the_same_placeholders_and_tags(language):
    problems = []
    messages = catalog(language)
    with (LOCALES / "messages.pot").open("rb") as handle:
        template_ids = {
            m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id
        }
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in messages if m.id}
    missing = sorted(map(str, template_ids - ids))
    if missing:
        problems.append(f"missing from the catalog (run `make i18n`): {missing[:5]}")
    for message in messages:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        targets = [message.string] if isinstance(message.string, str) else list(message.string)
        if isinstance(message.id, tuple) and len(targets) != messages.num_plurals:
            problems.append(
                f"{len(targets)} plural forms, want {messages.num_plurals}: {message.id[0]!r}"
            )
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        wanted_tags = sorted(TAG.findall(sources[-1]))
        for target in targets:
            if not target.strip():
                problems.append(f"untranslated: {sources[0]!r}")
                continue
            found = set(PLACEHOLDER.findall(target))
            # A plural form may leave the number out ("one session" in words).
            allowed = [wanted, wanted - {"count"}] if isinstance(message.id, tuple) else [wanted]
            if found not in allowed:
                problems.append(f"placeholders {sorted(found)} != {sorted(wanted)}: {sources[0]!r}")
            if sorted(TAG.findall(target)) != wanted_tags:
                problems.append(f"HTML tags differ: {sources[0]!r} -> {target!r}")
            has_words = LETTERS.search(PLACEHOLDER.sub("", TAG.sub("", sources[0])))
            if has_words and target == sources[0] and language != SOURCE_LANGUAGE:
                problems.append(f"left in English: {sources[0]!r}")
    assert problems == [], "\n".join(problems[:40])
