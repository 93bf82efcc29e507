from bot.domain.room_search import search_rooms
from bot.domain.rooms import Room

ROOMS = [
    Room("Diwan Room", "Main", "2", 30),
    Room("Hall B", "Main", "0", 300),
    Room("Hall C", "Main", "0", 300),
    Room("Salle Élysée", "Annex", "1", 20),
]


def test_exact_names_are_found_however_written():
    assert search_rooms("diwan-room", ROOMS).found == ROOMS[0]
    assert search_rooms("HALL  b", ROOMS).found == ROOMS[1]
    assert search_rooms("salle elysee", ROOMS).found == ROOMS[3]


def test_a_part_naming_one_room_finds_it():
    assert search_rooms("diwan", ROOMS).found == ROOMS[0]


def test_an_ambiguous_or_misspelt_name_gets_suggestions():
    ambiguous = search_rooms("hall", ROOMS)
    assert ambiguous.found is None
    assert [r.name for r in ambiguous.suggestions][:2] == ["Hall B", "Hall C"]
    typo = search_rooms("Dwian Room", ROOMS)
    assert typo.found is None and typo.suggestions[0] == ROOMS[0]
    assert search_rooms("zzzz", ROOMS).suggestions == []
