import io
from datetime import UTC, datetime
from typing import Any

from bot.cli import main
from bot.domain.bilaterals import Booking, BookingState, Participant
from bot.services.bookings_export import HEADER, rows, spreadsheet_safe, write
from tests.support.summit_files import VENUE


def booking(**changes):
    values: dict[str, Any] = {
        "id": 7,
        "requester_id": 1,
        "requester": '=HYPERLINK("x")',
        "other_id": 2,
        "other": "Yoland",
        "requested_by": "hx",
        "room": "+Salon",
        "start": datetime(2030, 6, 10, 6, 0, tzinfo=UTC),
        "end": datetime(2030, 6, 10, 6, 30, tzinfo=UTC),
        "topic": "",
        "state": BookingState.APPROVAL,
        "reason": "",
        "expires_at": datetime(2030, 6, 10, 0, 0, tzinfo=UTC),
        "session_id": None,
        "replaces": None,
        "participants": (Participant("hx", "Hana", 1), Participant("y1", "Yasmin", 2)),
    }
    values.update(changes)
    return Booking(**values)


def test_formula_cells_are_neutralised():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("Salon 1") == "Salon 1"
    assert spreadsheet_safe("") == ""


def test_rows_follow_the_spec_columns_in_venue_time():
    out = io.StringIO()
    write(out, rows([booking()], VENUE))
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(HEADER)
    assert (
        lines[1] == '7,2030-06-10,09:00,09:30,\'+Salon,"\'=HYPERLINK(""x"")",Yoland,hx;y1,pending'
    )


def test_bookings_command_rejects_a_bad_date(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\ntoken = "1:x"\n[storage]\ndatabase = "s.db"\n')
    config.chmod(0o600)
    assert main(["bookings", "--config", str(config), "--date", "tomorrow"]) == 1
    assert "--date 'tomorrow'" in capsys.readouterr().err
    assert main(["bookings", "--config", str(config)]) == 0
    assert capsys.readouterr().out.strip() == ",".join(HEADER)
