from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import FSI, PDI, Catalogs, Html, base_language, negotiate

VENUE = ZoneInfo("Asia/Riyadh")


def test_base_language_of_ietf_tags():
    assert base_language("ar-SA") == "ar"
    assert base_language("pt_BR") == "pt"
    assert base_language("FA-ir") == "fa"
    assert base_language("") is None
    assert base_language("x") is None


def test_negotiation_order():
    assert negotiate("fr", "ar", "ru", default="en") == "fr"
    assert negotiate(None, "ar", "ru", default="en") == "ar"
    assert negotiate(None, None, "ru-RU", default="en") == "ru"
    assert negotiate(None, "de", "pt-br", default="tr") == "tr"


def test_values_are_escaped_but_html_is_kept():
    t = Catalogs.load(VENUE).get("en")
    assert t.gettext("Room {room}", room="<A & B>") == "Room &lt;A &amp; B&gt;"
    assert t.gettext("{x}", x=Html("<b>x</b>")) == "<b>x</b>"


def test_rtl_languages_isolate_every_value():
    t = Catalogs.load(VENUE).get("ar")
    assert t.gettext("Room {room}", room="Hall 3") == f"Room {FSI}Hall 3{PDI}"


def test_arabic_inside_english_is_isolated():
    t = Catalogs.load(VENUE).get("en")
    assert t.gettext("{title}", title="قاعة") == f"{FSI}قاعة{PDI}"


def test_times_are_venue_time_in_24_hours_for_english():
    t = Catalogs.load(VENUE).get("en")
    assert t.time(datetime(2026, 12, 1, 6, 0, tzinfo=UTC)) == "09:00"


def test_persian_uses_persian_digits():
    t = Catalogs.load(VENUE).get("fa")
    assert t.time(datetime(2026, 12, 1, 6, 0, tzinfo=UTC)).startswith("۹:۰۰")
    assert t.number(1234) == "۱٬۲۳۴"


def _forms(language, singular):
    from babel.messages.pofile import read_po

    from bot.i18n import LOCALES_DIR

    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if isinstance(m.id, tuple) and m.id[0] == singular)
    assert isinstance(message.string, (tuple, list))  # a plural message's forms
    return list(message.string)


def test_arabic_plurals_for_0_1_2_3_11_100():
    singular = "{count} session on your agenda"
    t = Catalogs.load(VENUE).get("ar")
    forms = _forms("ar", singular)
    expected_form = {0: 0, 1: 1, 2: 2, 3: 3, 11: 4, 100: 5}
    for count, form in expected_form.items():
        text = t.ngettext(singular, "{count} sessions on your agenda", count)
        assert text == forms[form].format(count=t.value(t.number(count))), (count, text)
    assert len(forms) == 6
    # 3-10 take the plural noun, 11-99 and 100+ the singular (tamyiz), 2 the dual.
    assert "جلسات" in forms[3] and "جلسات" not in forms[4] and "جلستان" in forms[2]


def test_russian_plurals_for_1_2_5_21():
    singular = "{count} session on your agenda"
    t = Catalogs.load(VENUE).get("ru")
    forms = _forms("ru", singular)
    for count, form in {1: 0, 2: 1, 5: 2, 21: 0, 11: 2, 22: 1}.items():
        text = t.ngettext(singular, "{count} sessions on your agenda", count)
        assert text == forms[form].format(count=t.value(t.number(count))), (count, text)
    assert "заседан" in t.ngettext(singular, "{count} sessions on your agenda", 5)
