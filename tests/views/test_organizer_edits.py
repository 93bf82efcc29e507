"""The ✏️ menu's buttons: within Telegram's 64 bytes, and start times that make sense."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.models import Session
from bot.i18n import Catalogs
from bot.views import organizer_edits as views

T = Catalogs.load(ZoneInfo("Asia/Riyadh")).get("en")
START = datetime(2030, 6, 10, 8, 0, tzinfo=UTC)  # 11:00 at the venue


def session(session_id: str = "panel-1") -> Session:
    return Session(session_id, "Panel", START, START + timedelta(minutes=90), "Room A")


def test_every_button_fits_in_64_bytes_whatever_the_id():
    long = session("x" * 300 + "ü" * 100)
    replies = [
        views.menu(T, long),
        views.confirm_cancel(T, long),
        views.ask_time(T, long, views.time_options(long, START - timedelta(days=1))),
    ]
    for reply in replies:
        for row in reply.buttons:
            for button in row:
                assert button.data is not None
                assert len(button.data.encode()) <= 64


def test_time_options_leave_out_the_past_and_label_other_days():
    now = START - timedelta(minutes=45)
    options = views.time_options(session(), now)
    assert all(option > now for option in options)
    assert START - timedelta(minutes=60) not in options
    labels = [b.text for row in views.ask_time(T, session(), options).buttons for b in row]
    assert labels[:4] == ["10:30", "11:30", "12:00", "13:00"]
    assert labels[-1].endswith("11:00") and labels[-1] != "11:00"  # tomorrow, with its day
