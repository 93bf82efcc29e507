"""Typed reading of iCalendar files parsed with icalendar.

icalendar types every property as the union of all its value types and every walked
component as ``Component``; these check the type a test expects and return it as that type.
"""

from typing import TypeVar

from icalendar import Component, Event

T = TypeVar("T")


def as_event(component: Component) -> Event:
    """A VEVENT from ``walk("VEVENT")``: icalendar parses it as an ``Event``."""
    assert isinstance(component, Event), component
    return component


def value(component: Component, name: str, kind: type[T]) -> T:
    """The property ``name`` of ``component``, which must be a ``kind`` (vInt, vDDDTypes…)."""
    found = component[name]
    assert isinstance(found, kind), (name, found)
    return found
