"""The page's words come from the same catalogs as the chat, in every language."""

import re
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import SUPPORTED_LANGUAGES, Catalogs
from bot.webapp.strings import PAGE_STRINGS, page_strings

CATALOGS = Catalogs.load(ZoneInfo("Asia/Riyadh"))
STATIC = "bot/webapp/static/app.js"


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
def test_every_page_string_is_translated(language):
    translated = page_strings(CATALOGS.get(language))
    assert set(translated) == set(PAGE_STRINGS)
    # "Programme" may well be the same word; most are not.
    same = [key for key, text in translated.items() if text == PAGE_STRINGS[key]]
    assert len(same) <= 2, same


def test_the_page_asks_only_for_words_the_server_sends():
    with open(STATIC, encoding="utf-8") as script:
        asked = set(re.findall(r"""\bs\("(\w+)"\)""", script.read()))
    assert asked and asked <= set(PAGE_STRINGS), asked - set(PAGE_STRINGS)
