"""The rooms CSV file: what it becomes, and every kind of mistake with its line."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.domain.rooms import Room, RoomKind
from bot.importers import FileKind, ParsedFile, parse_file

RIYADH = ZoneInfo("Asia/Riyadh")
HEADER = "room,building,floor,capacity,latitude,longitude,map,x,y,kind,accessible"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "maps").mkdir()
    Image.new("RGB", (400, 300), "white").save(tmp_path / "maps" / "main.png")
    (tmp_path / "maps" / "notes.png").write_text("not an image")
    Image.new("RGB", (40, 30), "white").save(tmp_path / "maps" / "plan.gif")
    return tmp_path


def parse(text: str, directory: Path | None) -> ParsedFile:
    return parse_file("rooms.csv", text.encode(), RIYADH, directory)


def test_a_rooms_file_becomes_rooms(folder: Path) -> None:
    result = parse(
        "room,building,floor,capacity,latitude,longitude,address,map,x,y,kind,accessible,"
        "directions,directions:ar,Directions:FR\n"
        'Diwan Room,Main Building,2,30,24.7136,46.6753,"1 Summit Ave",maps/main.png,120,80,'
        "bilateral,yes,Lift to 2,المصعد,Ascenseur\n"
        "Annex Hall,Annex,0,100,,,,,,,,,,,\n",
        folder,
    )

    assert result.ok, result.errors
    assert result.kind is FileKind.ROOMS
    assert [(row.line, row.value) for row in result.rooms] == [
        (
            2,
            Room(
                name="Diwan Room",
                building="Main Building",
                floor="2",
                capacity=30,
                latitude=24.7136,
                longitude=46.6753,
                address="1 Summit Ave",
                map_path=str((folder / "maps" / "main.png").resolve()),
                x=120,
                y=80,
                kind=RoomKind.BILATERAL,
                directions={"": "Lift to 2", "ar": "المصعد", "fr": "Ascenseur"},
                accessible=True,
            ),
        ),
        (3, Room(name="Annex Hall", building="Annex", floor="0", capacity=100)),
    ]
    assert result.rooms[0].value.directions_in("fr") == "Ascenseur"
    assert result.rooms[0].value.directions_in("ru") == "Lift to 2"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("A,B,1,40,,,maps/missing.png,1,1,,", 'map "maps/missing.png" not found'),
        ("A,B,1,40,,,maps/notes.png,1,1,,", 'map "maps/notes.png" is not a readable PNG or JPEG'),
        ("A,B,1,40,,,maps/plan.gif,1,1,,", "is a GIF image — use a PNG or JPEG"),
        ("A,B,1,40,,,maps/main.png,400,10,,", "x,y (400, 10) is outside the map"),
        ("A,B,1,40,,,maps/main.png,10,300,,", "x,y (10, 300) is outside the map"),
        ("A,B,1,40,,,maps/main.png,10,,,", "give both x and y"),
        ("A,B,1,40,,,,10,10,,", "x and y are positions on a map — give the map too"),
        ("A,B,1,lots,,,,,,,", 'capacity "lots" is not a whole number'),
        ("A,B,1,12.5,,,,,,,", 'capacity "12.5" is not a whole number'),
        ("A,B,1,,,,,,,,", "capacity is empty"),
        ("A,B,1,40,91,10,,,,,", 'latitude "91" is not a number from -90 to 90'),
        ("A,B,1,40,10,-181,,,,,", 'longitude "-181" is not a number from -180 to 180'),
        ("A,B,1,40,10,,,,,,", "give both latitude and longitude"),
        ("A,B,1,40,,,,,,bilaterl,", 'unknown kind "bilaterl" (did you mean "bilateral"?)'),
        ("A,B,1,40,,,,,,,maybe", 'accessible "maybe" is not yes or no'),
        (",B,1,40,,,,,,,", "room is empty"),
    ],
)
def test_each_kind_of_mistake_is_reported_on_its_line(
    folder: Path, row: str, expected: str
) -> None:
    result = parse(f"{HEADER}\nGood,B,1,10,,,,,,,\n{row}\n", folder)

    assert not result.ok
    assert [issue.line for issue in result.errors] == [3]
    assert expected in result.errors[0].message, result.errors[0].message


def test_the_same_room_twice_is_an_error_even_written_differently(folder: Path) -> None:
    result = parse(f"{HEADER}\nHall B,B,1,10,,,,,,,\nhall-b,B,1,10,,,,,,,\n", folder)

    assert [str(issue) for issue in result.errors] == [
        "rooms.csv:3: this room is already on line 2 (room names are compared without case, "
        "spaces or punctuation) — each room may appear only once in a file"
    ]


def test_a_rooms_file_from_chat_cannot_name_maps() -> None:
    result = parse(f"{HEADER}\nA,B,1,10,,,maps/main.png,1,1,,\n", None)

    assert len(result.errors) == 1
    assert result.errors[0].line == 2
    assert "summitbot import rooms.csv" in result.errors[0].message


def test_a_rooms_file_from_chat_without_maps_is_fine() -> None:
    result = parse("room,building,floor,capacity\nA,B,1,10\n", None)

    assert result.ok and len(result.rooms) == 1


def test_unknown_column_and_unknown_directions_language_are_errors(folder: Path) -> None:
    result = parse("room,building,floor,capacity,mapp,directions:xx-!!\nA,B,1,10,,\n", folder)

    messages = [issue.message for issue in result.errors]
    assert any('unknown column "mapp" (did you mean "map"?)' in m for m in messages), messages
    assert any('column "directions:xx-!!"' in m for m in messages), messages
