"""Property: whatever is uploaded, `parse_file` answers with errors, never an exception.

Besides raw bytes, the strategies build inputs that get past the format detection (a CSV
header, the start of an XML or JSON schedule) so that the deeper code is exercised too.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.importers import ParsedFile, parse_file

BERLIN = ZoneInfo("Europe/Berlin")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADERS = [
    "id,title,start,end,room,kind,audience,status,speakers,title:fr",
    "id;name;delegation;language;role",
    "delegate_id,session_id,remove",
]
CELLS = st.sampled_from(
    ["", "S1", "2026-12-01T09:00", "2026-03-29T02:30", "24:00", "panel", "yes", "ar-SA", '"', ";"]
) | st.text(max_size=12)


def check(result: ParsedFile) -> None:
    assert isinstance(result, ParsedFile)
    assert result.ok == (not result.errors)
    for issue in result.errors:
        assert str(issue).startswith("f.dat")
        assert issue.line is None or issue.line >= 1
    lines = [located.line for located in result.sessions]
    lines += [located.line for located in result.delegates]
    lines += [located.line for located in result.attendance]
    assert all(line >= 1 for line in lines)


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    check(parse_file("f.dat", data, BERLIN))


@FAST
@given(st.text(max_size=500))
def test_arbitrary_text(text: str) -> None:
    check(parse_file("f.dat", text.encode("utf-8", "surrogatepass"), BERLIN))


@FAST
@given(
    st.sampled_from(HEADERS),
    st.lists(st.lists(CELLS, max_size=12), max_size=8),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_csv_like(header: str, rows: list[list[str]], newline: str) -> None:
    separator = ";" if ";" in header else ","
    text = newline.join([header, *(separator.join(row) for row in rows)])
    check(parse_file("f.dat", text.encode(), BERLIN))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=10)
    | st.sampled_from(
        ["2026-12-01T09:00:00+01:00", "09:00", "01:00", "Europe/Berlin", "Mars/X", "2026-12-01"]
    ),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["guid", "id", "title", "date", "start", "duration", "end", "persons"])
            | st.text(max_size=5),
            inner,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@FAST
@given(st.lists(JSON_VALUES, max_size=4), JSON_VALUES, JSON_VALUES)
def test_schedule_json_like(events: list[object], zone: object, day_start: object) -> None:
    day = {"date": "2026-12-01", "day_start": day_start, "rooms": {"Hall": events}}
    document = {"schedule": {"conference": {"time_zone_name": zone, "days": [day]}}}
    check(parse_file("f.dat", json.dumps(document).encode(), BERLIN))


XML_PARTS = st.sampled_from(
    [
        "<event guid='g'>",
        "<event id='1'>",
        "</event>",
        "<date>2026-12-01T09:00:00+01:00</date>",
        "<start>25:00</start>",
        "<start>00:30</start>",
        "<duration>1:00</duration>",
        "<title>T</title>",
        "<room name='R'>",
        "</room>",
        "<day date='2026-12-01' start='x'>",
        "</day>",
        "&amp;",
        "<!DOCTYPE x>",
        "\n",
    ]
)


@FAST
@given(st.lists(XML_PARTS, max_size=25))
def test_frab_xml_like(parts: list[str]) -> None:
    text = "<schedule><day date='2026-12-01'><room name='A'>" + "".join(parts)
    check(parse_file("f.dat", text.encode(), BERLIN))
    closed = text + "</room></day></schedule>"
    check(parse_file("f.dat", closed.encode(), BERLIN))
