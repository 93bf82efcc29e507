"""Frab / Pentabarf schedule XML (`<schedule><day><room><event>`), as pretalx and frab export it.

Parsed with expat directly rather than ElementTree because we need each event's line for the
error messages, and because the file comes from a chat upload: a document with a DOCTYPE is
refused outright, which rules out entity expansion bombs ("billion laughs") and external
entities. Real schedule exports never carry a DTD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from xml.parsers import expat

from bot.importers.issues import MAX_ROWS, ParsedFile
from bot.importers.raw_events import Conference, RawEvent
from bot.importers.schedule_events import add_events, too_many_events


class _DoctypeRefused(Exception):
    pass


class _TooManyEvents(Exception):
    pass


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def each(self, tag: str) -> list[_Node]:
        return [child for child in self.children if child.tag == tag]

    def child_text(self, tag: str) -> str:
        found = next((child for child in self.children if child.tag == tag), None)
        return found.text if found is not None else ""


def parse_frab_xml(text: str, venue_tz: tzinfo, result: ParsedFile) -> None:
    parser = expat.ParserCreate()
    try:
        root = _tree(parser, text)
    except _DoctypeRefused:
        result.error(
            parser.CurrentLineNumber,
            "the XML declares a DOCTYPE, which is refused for safety (it can define entities "
            "that expand without limit) — schedule exports have none; delete the <!DOCTYPE …> "
            "part",
        )
        return
    except _TooManyEvents:
        too_many_events(result)
        return
    except expat.ExpatError as error:
        result.error(
            error.lineno,
            f"the XML is not well-formed: {expat.ErrorString(error.code)} at column "
            f"{error.offset + 1} — export the schedule again, or fix the file there",
        )
        return
    if root is None or root.tag != "schedule":
        found = f"<{root.tag}>" if root is not None else "nothing"
        result.error(
            root.line if root is not None else None,
            f"the XML's root element is {found}, not <schedule> — expected a Frab/Pentabarf "
            "schedule export (schedule.xml)",
        )
        return
    conference = root.each("conference")
    zone_name = conference[0].child_text("time_zone_name") if conference else ""
    day_change = conference[0].child_text("day_change") if conference else ""
    events = _events(root)
    if not events:
        result.error(
            root.line,
            "the schedule has no events — expected <day> elements holding <room> elements "
            "holding <event> elements",
        )
        return
    add_events(events, Conference.from_name(zone_name, venue_tz, day_change), result)


def _tree(parser: expat.XMLParserType, text: str) -> _Node | None:
    """The document as nodes with their lines, refusing DTDs and oversized schedules."""
    stack: list[_Node] = []
    root: list[_Node] = []
    events = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal events
        if tag == "event":
            events += 1
            if events > MAX_ROWS:
                raise _TooManyEvents
        node = _Node(tag, attrs, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    def refuse(*_: object) -> None:
        raise _DoctypeRefused

    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(text, True)
    return root[0] if root else None


def _events(root: _Node) -> list[RawEvent]:
    found: list[RawEvent] = []
    for day in root.each("day"):
        for room in day.each("room"):
            for event in room.each("event"):
                # <person> in <persons> (frab, pretalx) or directly in <event> (some tools).
                persons = [p for group in event.each("persons") for p in group.each("person")]
                persons += event.each("person")
                found.append(
                    RawEvent(
                        line=event.line,
                        guid=event.attrs.get("guid", "").strip(),
                        id=event.attrs.get("id", "").strip(),
                        title=event.child_text("title"),
                        date=event.child_text("date"),
                        start=event.child_text("start"),
                        duration=event.child_text("duration"),
                        day_date=day.attrs.get("date", "").strip(),
                        day_start=day.attrs.get("start", "").strip(),
                        room=room.attrs.get("name", "").strip() or event.child_text("room"),
                        track=event.child_text("track"),
                        type=event.child_text("type"),
                        persons=tuple(person.text for person in persons),
                        abstract=event.child_text("abstract"),
                        description=event.child_text("description"),
                    )
                )
    return found
