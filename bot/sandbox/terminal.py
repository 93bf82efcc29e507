"""Chat with the bot from a terminal, as one of several simulated Telegram users.

`summitbot demo` runs the real bot against the Telegram emulator; this module is the person's
side of it. Every persona (a delegate, a delegate of another delegation, an organizer) has its
own private chat with the bot. The person types as the current persona and sees that chat;
what the bot pushes to the others is announced in one line and shown on switching to them,
which is how the demo shows that a bilateral meeting reaches only its own delegations.

Design choices worth knowing:

* Bot messages arrive on their own (reminders, broadcasts, edits of a progress message), so
  each persona's chat is a subscription pumped by its own task, not a reply to the last line.
* Standard input is read by a daemon thread with `os.read` on the raw descriptor. That never
  blocks the event loop, works for a tty, a pipe or a redirected file alike, does not switch
  the descriptor to non-blocking mode (which a tty shares with standard output), and leaves
  no lock held if the process exits while the thread waits for a line.
* After each line the chat waits for the bot to go quiet before reading the next one, so a
  piped script produces a transcript in conversation order and its last replies are not lost
  at end of input.
* Telegram entity offsets count UTF-16 code units; Python strings count code points. The
  renderer maps one to the other, so emoji and other astral characters do not shift styles.
"""

from __future__ import annotations

import asyncio
import bisect
import codecs
import contextlib
import itertools
import mimetypes
import os
import re
import signal
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from bot.sandbox.driver import BotMessage, Button, ChatEvent, SimulatedUser

__all__ = ["TerminalPersona", "render_text", "run_terminal_chat"]


@dataclass(frozen=True)
class TerminalPersona:
    """Someone the person can be: `label` is what `:as LABEL` takes."""

    label: str
    user: SimulatedUser
    description: str


# --- rendering -------------------------------------------------------------------------------

_RESET = "\x1b[0m"
# SGR parameters per entity type. Entities Telegram shows without styling (mentions, hashtags,
# plain URLs) are left alone; a terminal already makes URLs clickable.
_ENTITY_STYLES: Mapping[str, str] = {
    "bold": "1",
    "italic": "3",
    "underline": "4",
    "strikethrough": "9",
    "spoiler": "2",
    "code": "36",
    "pre": "36",
    "text_link": "4;34",
}


def _utf16_boundaries(text: str) -> list[int]:
    """`result[i]` is the UTF-16 offset at which `text[i]` starts; the last item is the length."""
    boundaries = [0]
    for ch in text:
        boundaries.append(boundaries[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return boundaries


def _to_index(boundaries: list[int], utf16_offset: int) -> int:
    """The Python index of a UTF-16 offset (one inside a surrogate pair rounds down)."""
    return max(0, bisect.bisect_right(boundaries, utf16_offset) - 1)


def render_text(text: str, entities: Sequence[Mapping[str, Any]], *, color: bool) -> str:
    """`text` with its entities as ANSI styles (when `color`); links keep their target visible.

    Styles are computed per character and emitted per run, with a reset between runs, so
    nested and overlapping entities (bold inside a link, say) come out right.
    """
    boundaries = _utf16_boundaries(text)
    styles: list[set[str]] = [set() for _ in text]
    link_after: dict[int, list[str]] = {}
    for entity in entities:
        kind = str(entity.get("type", ""))
        offset = int(entity.get("offset", 0))
        start = _to_index(boundaries, offset)
        end = _to_index(boundaries, offset + int(entity.get("length", 0)))
        style = _ENTITY_STYLES.get(kind)
        if style is not None:
            for i in range(start, min(end, len(text))):
                styles[i].add(style)
        url = entity.get("url")
        if kind == "text_link" and isinstance(url, str) and url != text[start:end]:
            link_after.setdefault(end, []).append(url)

    pieces: list[str] = []
    current: frozenset[str] = frozenset()
    for i in range(len(text) + 1):
        for url in link_after.get(i, ()):
            if color and current:
                pieces.append(_RESET)
                current = frozenset()
            pieces.append(f" <{url}>")
        if i == len(text):
            break
        wanted = frozenset(styles[i]) if color else frozenset()
        if wanted != current:
            if current:
                pieces.append(_RESET)
            if wanted:
                pieces.append(f"\x1b[{';'.join(sorted(wanted))}m")
            current = wanted
        pieces.append(text[i])
    if current:
        pieces.append(_RESET)
    return "".join(pieces)


def _numbered_buttons(buttons: Sequence[Sequence[Button]]) -> Iterator[tuple[int, Button]]:
    """Buttons numbered 1, 2, 3… row by row, as they are printed."""
    number = 0
    for row in buttons:
        for button in row:
            number += 1
            yield number, button


@dataclass
class _Styles:
    """ANSI helpers that collapse to plain text when colour is off."""

    color: bool

    def __call__(self, text: str, sgr: str) -> str:
        return f"\x1b[{sgr}m{text}{_RESET}" if self.color else text

    def header(self, text: str) -> str:
        return self(text, "1;36")

    def gutter(self, text: str) -> str:
        return self(text, "2")

    def number(self, text: str) -> str:
        return self(text, "1;33")

    def note(self, text: str) -> str:
        return self(text, "2;37")

    def warn(self, text: str) -> str:
        return self(text, "33")

    def error(self, text: str) -> str:
        return self(text, "31")


# --- the chat --------------------------------------------------------------------------------

_BUTTON_NUMBER = re.compile(r"(#?)(\d{1,3})")
_QUIT = frozenset({":quit", ":q", ":exit"})


@dataclass
class _PersonaState:
    persona: TerminalPersona
    queue: asyncio.Queue[ChatEvent]
    pending: list[ChatEvent] = field(default_factory=list)
    noticed: int = 0
    """How many pending messages the last "new messages" notice announced."""
    button_message: int | None = None
    """The message whose buttons were shown last: what a typed number presses."""


def _coalesce(events: Sequence[ChatEvent]) -> list[tuple[str, BotMessage]]:
    """One entry per message, in order of first appearance, with its latest state.

    A message sent and then edited while nobody looked is simply a new message; one sent and
    deleted meanwhile is not worth showing. This keeps a broadcast's progress message, edited
    many times a second, from flooding the terminal.
    """
    order: list[int] = []
    first: dict[int, str] = {}
    last: dict[int, ChatEvent] = {}
    for event in events:
        key = event.message.message_id
        if key not in last:
            order.append(key)
            first[key] = event.kind
        last[key] = event
    result: list[tuple[str, BotMessage]] = []
    for key in order:
        kind = last[key].kind
        if first[key] == "message":
            if kind == "delete":
                continue
            kind = "message"
        result.append((kind, last[key].message))
    return result


class _TerminalChat:
    """The state of one terminal session: who the person is, what each chat has pending."""

    def __init__(
        self,
        personas: Sequence[TerminalPersona],
        output: TextIO,
        color: bool,
        downloads_dir: Path | None,
        interactive: bool,
        quiet_seconds: float,
        reply_timeout: float,
    ) -> None:
        self.output = output
        self.style = _Styles(color)
        self.color = color
        self.downloads_dir = downloads_dir
        self.interactive = interactive
        self.quiet_seconds = quiet_seconds
        self.reply_timeout = reply_timeout
        self.states = {
            p.label: _PersonaState(persona=p, queue=p.user.subscribe()) for p in personas
        }
        self.current = personas[0].label
        self.events_seen = 0
        self.activity = asyncio.Event()
        self.stop = asyncio.Event()
        """Set by Ctrl-C: the chat ends without waiting for the bot any further."""
        self.prompt_shown = False
        self.saved: dict[tuple[int, int], Path] = {}

    # -- output ---------------------------------------------------------------------------

    def write_lines(self, lines: Sequence[str]) -> None:
        """Print whole lines, keeping an interactive prompt below them."""
        if self.prompt_shown:
            self.output.write("\r\x1b[2K" if self.color else "\n")
            self.prompt_shown = False
        self.output.write("".join(f"{line}\n" for line in lines))
        self.output.flush()

    def say(self, text: str) -> None:
        self.write_lines([self.style.note(f"» {text}")])

    def complain(self, text: str) -> None:
        self.write_lines([self.style.error(f"» {text}")])

    def show_prompt(self) -> None:
        if self.interactive and not self.prompt_shown:
            self.output.write(self.style.header(f"{self.current} › "))
            self.output.flush()
            self.prompt_shown = True

    def banner(self) -> list[str]:
        s = self.style
        commands = (
            ("a message or /command", "sent to the bot as the current persona"),
            ("2   or   #2", "press button 2 of the latest message that has buttons"),
            (":as LABEL", "become another persona (their chat is shown from then on)"),
            (":who", "who you are, and who else you can be"),
            (":send PATH", "send a file as a document (an organizer imports CSV this way)"),
            (":say TEXT", "send TEXT as it is, even a bare number"),
            (":help", "this text"),
            (":quit", "leave (so do Ctrl-D and Ctrl-C)"),
        )
        lines = [
            s.header("Summit Bot — terminal chat"),
            s.note("Telegram is emulated on this machine: no token, no network."),
            "",
            "Type:",
        ]
        lines += [f"  {s.number(f'{what:<22}')} {why}" for what, why in commands]
        lines += ["", "Personas:"]
        for label, state in self.states.items():
            mark = "*" if label == self.current else " "
            lines.append(f" {mark}{s.number(f'{label:<12}')} {state.persona.description}")
        lines.append("")
        return lines

    def render(self, kind: str, message: BotMessage, state: _PersonaState) -> list[str]:
        s = self.style
        if kind == "delete":
            first_line = message.text.splitlines()[0] if message.text else "a message"
            return [s.note(f"✗ bot deleted: {first_line}")]
        head = "● bot" if kind == "message" else "✎ bot (edited)"
        lines = [s.header(head)]
        bar = s.gutter("│ ")
        text = render_text(message.text, message.entities, color=self.color)
        lines += [f"{bar}{line}" for line in text.splitlines()]
        document = message.document
        if document is not None:
            if document.caption and document.caption != message.text:
                lines.append(f"{bar}{document.caption}")
            path = self.saved.get((message.chat_id, message.message_id))
            where = f"saved to {path}" if path is not None else self.save_document(message)
            size = len(document.content)
            lines.append(f"{bar}📎 {document.file_name or 'a file'} ({size} bytes) {where}")
        if message.venue is not None:
            venue = message.venue
            lines.append(f"{bar}📍 {venue.title} — {venue.address}")
            lines.append(f"{bar}   {venue.latitude:.6f}, {venue.longitude:.6f} (a map pin)")
        elif message.location is not None:
            location = message.location
            lines.append(f"{bar}📍 {location.latitude:.6f}, {location.longitude:.6f}")
        if message.photo is not None:
            path = self.saved.get((message.chat_id, message.message_id))
            where = f"saved to {path}" if path is not None else self.save_photo(message)
            lines.append(f"{bar}🖼 a picture, {message.photo.width}×{message.photo.height} {where}")
        if message.buttons:
            state.button_message = message.message_id
            for row in _button_rows(message.buttons):
                lines.append(bar + "   ".join(f"{s.number(n)} {label}" for n, label in row))
        return lines

    def save_photo(self, message: BotMessage) -> str:
        """Save a received picture (a marked floor plan) so the person can open it."""
        photo = message.photo
        if photo is None:
            return "has no picture"
        try:
            if self.downloads_dir is None:
                self.downloads_dir = Path(tempfile.mkdtemp(prefix="summitbot-downloads-"))
            self.downloads_dir.mkdir(parents=True, exist_ok=True)
            path = _free_path(self.downloads_dir, f"picture-{message.message_id}.png")
            path.write_bytes(photo.content)
        except OSError as exc:
            return f"could not be saved: {exc.strerror or exc}"
        self.saved[(message.chat_id, message.message_id)] = path
        return f"saved to {path}"

    def save_document(self, message: BotMessage) -> str:
        """Save a received file once (an edit of its caption does not save it again).

        Returns what to tell the person: where it went, or why it could not be saved.
        """
        document = message.document
        if document is None:
            return "has no file"
        try:
            if self.downloads_dir is None:
                self.downloads_dir = Path(tempfile.mkdtemp(prefix="summitbot-downloads-"))
            self.downloads_dir.mkdir(parents=True, exist_ok=True)
            path = _free_path(self.downloads_dir, document.file_name or "document")
            path.write_bytes(document.content)
        except OSError as exc:
            return f"could not be saved: {exc.strerror or exc}"
        self.saved[(message.chat_id, message.message_id)] = path
        return f"saved to {path}"

    # -- incoming -------------------------------------------------------------------------

    async def pump(self, state: _PersonaState) -> None:
        """Show (or hold back) everything that happens in one persona's chat."""
        while True:
            batch = [await state.queue.get()]
            while not state.queue.empty():
                batch.append(state.queue.get_nowait())
            self.events_seen += len(batch)
            self.activity.set()
            try:
                if state.persona.label == self.current:
                    self.show(batch, state)
                else:
                    state.pending.extend(batch)
                    self.notice(state)
            except Exception as exc:  # a rendering bug must not silence the chat for good
                self.complain(f"could not show a message: {exc!r}")

    def show(self, events: Sequence[ChatEvent], state: _PersonaState) -> None:
        lines: list[str] = []
        for kind, message in _coalesce(events):
            lines += self.render(kind, message, state)
        if lines:
            self.write_lines(lines)
            self.show_prompt()

    def notice(self, state: _PersonaState) -> None:
        count = len(_coalesce(state.pending))
        if count and count != state.noticed:
            state.noticed = count
            noun = "unseen message" if count == 1 else "unseen messages"
            label = state.persona.label
            self.write_lines(
                [self.style.warn(f"» ({count} {noun} for {label} — :as {label} to read)")]
            )
            self.show_prompt()

    def interrupt(self) -> None:
        """Ctrl-C: stop waiting for the bot and for input, and leave."""
        self.stop.set()
        self.activity.set()

    async def settle(self, seen_before: int, reply_timeout: float) -> None:
        """Wait for the bot's answer to what was just done, then for it to go quiet."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + reply_timeout
        while self.events_seen == seen_before and not self.stop.is_set():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            self.activity.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.activity.wait(), remaining)
        while not self.stop.is_set():
            self.activity.clear()
            try:
                await asyncio.wait_for(self.activity.wait(), self.quiet_seconds)
            except TimeoutError:
                return

    # -- outgoing -------------------------------------------------------------------------

    async def handle(self, line: str) -> bool:
        """Act on one input line; False when the person wants to leave."""
        line = line.strip()
        if not self.interactive and line:
            self.write_lines([self.style.header(f"{self.current} › ") + line])
        if not line:
            return True
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word in _QUIT:
            return False
        if word == ":help":
            self.write_lines(self.banner())
        elif word == ":who":
            self.who()
        elif word == ":as":
            self.switch(rest)
        elif word == ":send":
            await self.act(lambda: self.send_file(rest))
        elif word == ":say":
            await self.act(lambda: self.send_text(rest))
        elif word.startswith(":"):
            self.complain(f"unknown command {word} — :help lists what you can type")
        elif (number := self.button_number(line)) is not None:
            # The callback answer is already the bot's reply; an edit, if any, follows at once.
            await self.act(lambda: self.press(number), self.quiet_seconds + 1.0)
        else:
            await self.act(lambda: self.send_text(line))
        return True

    def button_number(self, line: str) -> int | None:
        """`#3` always means a button; a bare `3` only when there are buttons to press."""
        match = _BUTTON_NUMBER.fullmatch(line)
        if match is None or (not match.group(1) and self.button_target() is None):
            return None
        return int(match.group(2))

    async def act(
        self, action: Callable[[], Awaitable[bool]], reply_timeout: float | None = None
    ) -> None:
        """Do something towards the bot; a failure becomes one clear line, not a traceback.

        Only when something was actually sent does the chat wait for the bot's answer.
        """
        seen = self.events_seen
        try:
            acted = await action()
        except Exception as exc:
            self.complain(f"that did not work: {exc}")
            return
        if acted:
            await self.settle(seen, self.reply_timeout if reply_timeout is None else reply_timeout)

    @property
    def state(self) -> _PersonaState:
        return self.states[self.current]

    def who(self) -> None:
        lines = [f"you are {self.current}: {self.state.persona.description}"]
        others = [label for label in self.states if label != self.current]
        if others:
            lines.append("you can also be: " + ", ".join(others) + "  (:as LABEL)")
        self.write_lines([self.style.note(f"» {line}") for line in lines])

    def switch(self, wanted: str) -> None:
        label = self.find_label(wanted)
        if label is None:
            return
        if label == self.current:
            self.say(f"you already are {label}")
            return
        self.current = label
        state = self.state
        self.say(f"you are now {label}: {state.persona.description}")
        pending, state.pending, state.noticed = state.pending, [], 0
        if pending:
            self.show(pending, state)

    def find_label(self, wanted: str) -> str | None:
        if wanted in self.states:
            return wanted
        matches = [label for label in self.states if wanted and label.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        choices = ", ".join(self.states)
        if not wanted:
            self.complain(f":as needs a persona — one of {choices}")
        else:
            self.complain(f"no persona {wanted!r} — choose one of {choices}")
        return None

    async def send_text(self, text: str) -> bool:
        if not text:
            self.complain(":say needs some text")
            return False
        await self.state.persona.user.send(text)
        return True

    async def send_file(self, raw_path: str) -> bool:
        if not raw_path:
            self.complain(":send needs a file path, e.g. :send sessions.csv")
            return False
        try:
            path, data = _read_file(raw_path)
        except OSError as exc:
            self.complain(f"cannot read {raw_path}: {exc.strerror or exc}")
            return False
        mime_type = _mime_type(path)
        await self.state.persona.user.send_document(path.name, data, mime_type=mime_type)
        self.say(f"sent {path.name} ({len(data)} bytes, {mime_type})")
        return True

    def button_target(self) -> BotMessage | None:
        """The message a typed number refers to: the last one shown with buttons."""
        state = self.state
        messages = state.persona.user.messages
        if state.button_message is not None:
            for message in messages:
                if message.message_id == state.button_message:
                    return message if message.buttons else None
        return next((m for m in reversed(messages) if m.buttons), None)

    async def press(self, number: int) -> bool:
        message = self.button_target()
        if message is None:
            self.complain("there is no message with buttons to press")
            return False
        buttons = dict(_numbered_buttons(message.buttons))
        button = buttons.get(number)
        if button is None:
            self.complain(f"no button {number} — the latest buttons are 1 to {len(buttons)}")
            return False
        if button.callback_data is None:
            if button.url:
                self.say(f"that button opens {button.url}")
            else:
                self.complain(f"button {number} ({button.text}) cannot be pressed here")
            return False
        user = self.state.persona.user
        answer = await user.press(message, callback_data=button.callback_data)
        if answer.text:
            mark = "⚠" if answer.show_alert else "ⓘ"
            self.write_lines([self.style.warn(f"  {mark} {answer.text}")])
        return True


def _button_rows(buttons: Sequence[Sequence[Button]]) -> list[list[tuple[str, str]]]:
    """`[n]` and label per button, per row; a link button is marked with an arrow."""
    numbered = iter(_numbered_buttons(buttons))
    rows: list[list[tuple[str, str]]] = []
    for row in buttons:
        rendered: list[tuple[str, str]] = []
        for number, button in itertools.islice(numbered, len(row)):
            link = button.url and button.callback_data is None
            rendered.append((f"[{number}]", f"{button.text} ↗" if link else button.text))
        rows.append(rendered)
    return rows


def _read_file(raw_path: str) -> tuple[Path, bytes]:
    """Synchronously: a file to send is small and local, not worth a thread."""
    path = Path(raw_path).expanduser()
    return path, path.read_bytes()


def _mime_type(path: Path) -> str:
    if path.suffix.lower() == ".csv":
        return "text/csv"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _free_path(directory: Path, file_name: str) -> Path:
    """A path in `directory` for `file_name` that overwrites nothing (and cannot escape)."""
    name = Path(file_name).name or "document"
    candidate = directory / name
    stem, suffix = candidate.stem, candidate.suffix
    counter = 2
    while candidate.exists():
        candidate = directory / f"{stem}-{counter}{suffix}"
        counter += 1
    return candidate


# --- standard input --------------------------------------------------------------------------


async def _stdin_lines() -> AsyncIterator[str]:
    """Lines of standard input, read by a daemon thread so the event loop never blocks."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    stopped = threading.Event()

    def deliver(item: str | None) -> None:
        if not stopped.is_set():
            with contextlib.suppress(RuntimeError):  # the loop closed after the chat ended
                loop.call_soon_threadsafe(queue.put_nowait, item)

    def reader(fd: int) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        buffered = ""
        while not stopped.is_set():
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            buffered += decoder.decode(chunk, final=not chunk)
            *lines, buffered = buffered.split("\n")
            for line in lines:
                deliver(line.removesuffix("\r"))
            if not chunk:
                if buffered:
                    deliver(buffered)
                deliver(None)
                return

    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return
    threading.Thread(target=reader, args=(fd,), name="terminal-stdin", daemon=True).start()
    try:
        while (line := await queue.get()) is not None:
            yield line
    finally:
        stopped.set()


@contextlib.contextmanager
def _on_ctrl_c(callback: Callable[[], None]) -> Iterator[None]:
    """Make Ctrl-C end the chat quietly, and put the previous SIGINT handling back after."""
    loop = asyncio.get_running_loop()
    try:
        previous = signal.getsignal(signal.SIGINT)
        loop.add_signal_handler(signal.SIGINT, callback)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        with contextlib.suppress(TypeError, ValueError):
            signal.signal(signal.SIGINT, previous)


async def _anext(lines: AsyncIterator[str]) -> str:
    return await anext(lines)


async def _next_line(lines: AsyncIterator[str], stop: asyncio.Event) -> str | None:
    """The next input line, or None at end of input or when Ctrl-C was pressed."""
    if stop.is_set():
        return None
    next_task = asyncio.ensure_future(_anext(lines))
    stop_task = asyncio.ensure_future(stop.wait())
    try:
        done, _ = await asyncio.wait({next_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
        if next_task in done:
            try:
                return next_task.result()
            except StopAsyncIteration:
                return None
        return None
    finally:
        for task in (next_task, stop_task):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                    await task


async def run_terminal_chat(
    personas: Sequence[TerminalPersona],
    *,
    input_lines: AsyncIterator[str] | None = None,
    output: TextIO = sys.stdout,
    color: bool | None = None,
    downloads_dir: Path | None = None,
    quiet_seconds: float = 0.3,
    reply_timeout: float = 5.0,
) -> None:
    """Chat with the bot as `personas[0]` (others via `:as`) until `:quit`, EOF or Ctrl-C.

    `color` defaults to whether `output` is a terminal (and `NO_COLOR` is not set).
    `input_lines` replaces standard input (tests script the conversation with it). After
    each line the chat waits up to `reply_timeout` seconds for the bot to answer and then for
    `quiet_seconds` without new events, so answers print before the next line is read.
    """
    if not personas:
        raise ValueError("run_terminal_chat needs at least one persona")
    labels = [p.label for p in personas]
    if len(set(labels)) != len(labels):
        raise ValueError(f"persona labels must be unique: {labels}")
    if color is None:
        color = _isatty(output) and not os.environ.get("NO_COLOR")
    interactive = input_lines is None and _isatty(sys.stdin) and _isatty(output)
    chat = _TerminalChat(
        personas, output, color, downloads_dir, interactive, quiet_seconds, reply_timeout
    )
    lines = input_lines if input_lines is not None else _stdin_lines()
    pumps = [asyncio.create_task(chat.pump(state)) for state in chat.states.values()]
    try:
        with _on_ctrl_c(chat.interrupt) if input_lines is None else contextlib.nullcontext():
            chat.write_lines(chat.banner())
            chat.say(f"you are {chat.current}: {chat.state.persona.description}")
            chat.show_prompt()
            while (line := await _next_line(lines, chat.stop)) is not None:
                chat.prompt_shown = False  # the person's Enter moved to a fresh line
                if not await chat.handle(line):
                    break
                chat.show_prompt()
        chat.write_lines([chat.style.note("» bye")])
    finally:
        for task in pumps:
            task.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        if input_lines is None:
            closer = getattr(lines, "aclose", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
