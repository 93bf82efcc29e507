"""The Mini App's API: one class the server calls, its calls split by who may make them."""

import inspect

from bot.webapp import api, server
from bot.webapp.api_delegates import DelegateApi
from bot.webapp.api_organizers import OrganizerApi

DELEGATE_CALLS = {"me", "agenda", "programme", "attend", "room_map", "map_image", "bilaterals"}
ORGANIZER_CALLS = {"grid", "move", "reschedule", "cancel", "broadcasts", "bookings"}


def public_coroutines(cls: type) -> set[str]:
    return {
        name
        for name, member in vars(cls).items()
        if not name.startswith("_") and inspect.iscoroutinefunction(member)
    }


def test_the_public_surface_is_what_the_server_imports():
    assert sorted(api.__all__) == ["ApiError", "MapImage", "WebappApi", "plain"]


def test_delegates_and_organizers_calls_live_apart_and_the_server_reaches_all():
    assert public_coroutines(DelegateApi) == DELEGATE_CALLS
    assert public_coroutines(OrganizerApi) == ORGANIZER_CALLS
    for name in DELEGATE_CALLS | ORGANIZER_CALLS:
        assert inspect.iscoroutinefunction(getattr(api.WebappApi, name)), name


def test_every_call_the_server_names_exists():
    source = inspect.getsource(server)
    named = {name for name in DELEGATE_CALLS | ORGANIZER_CALLS if f"api.{name}(" in source}
    assert named == DELEGATE_CALLS | ORGANIZER_CALLS
