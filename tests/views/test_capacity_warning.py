from zoneinfo import ZoneInfo

from bot.domain.rooms import Overcrowded
from bot.i18n import Catalogs
from bot.views.where import capacity_warning

T = Catalogs.load(ZoneInfo("Asia/Riyadh")).get("en")


def test_the_storage_value_is_what_the_view_reads():
    item = Overcrowded("panel-3", "Panel", "Hall <B>", attendance=120, capacity=80)
    text = capacity_warning(T, item)
    assert text.startswith("⚠️ panel-3: 120 delegates have it on their agenda")
    assert "Hall &lt;B&gt; seats 80" in text
