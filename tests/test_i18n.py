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
