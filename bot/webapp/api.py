"""What the Mini App may ask, answered with the chat's own services and rules.

Every method takes the `Viewer` that verified initData named, and checks its rights
itself (`api_common.ApiBase`). The delegates' calls are in `api_delegates.py`, the
organizers' in `api_organizers.py`; the server calls them through `WebappApi`.
"""

from __future__ import annotations

from bot.webapp.api_common import ApiError, MapImage, plain
from bot.webapp.api_delegates import DelegateApi
from bot.webapp.api_organizers import OrganizerApi

__all__ = ["ApiError", "MapImage", "WebappApi", "plain"]


class WebappApi(DelegateApi, OrganizerApi):
    """Every call the Mini App's server may make."""
