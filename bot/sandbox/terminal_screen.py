"""What the terminal shows: the current persona's chat, notices of the others', the prompt.

Each persona's chat is pumped by its own task, since bot messages arrive on their own, not
only as replies. What arrives for the current persona is shown at once; for another one it
is announced in one line and shown on switching to them, which is how the demo shows that a
bilateral meeting reaches only its own delegations. After each thing the person does, the
chat waits for the bot to go quiet before reading on, so a piped script produces a
transcript in conversation order and its last replies are not lost at end of input.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.sandbox.terminal_media import Downloads
from bot.sandbox.terminal_personas import PersonaState, TerminalPersona
from bot.sandbox.terminal_render import Styles, button_rows, coalesce, render_text

if TYPE_CHECKING:
    from bot.sandbox.driver import BotMessage, ChatEvent


class ChatScreen:
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
        self.style = Styles(color)
        self.color = color
        self.downloads = Downloads(downloads_dir)
        self.interactive = interactive
        self.quiet_seconds = quiet_seconds
        self.reply_timeout = reply_timeout
        self.states = {p.label: PersonaState(persona=p, queue=p.user.subscribe()) for p in personas}
        self.current = personas[0].label
        self.events_seen = 0
        self.activity = asyncio.Event()
        self.stop = asyncio.Event()
        """Set by Ctrl-C: the chat ends without waiting for the bot any further."""
        self.prompt_shown = False

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

    def render(self, kind: str, message: BotMessage, state: PersonaState) -> list[str]:
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
            where = self.downloads.document_note(message)
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
            where = self.downloads.photo_note(message)
            lines.append(f"{bar}🖼 a picture, {message.photo.width}×{message.photo.height} {where}")
        if message.buttons:
            state.button_message = message.message_id
            for row in button_rows(message.buttons):
                lines.append(bar + "   ".join(f"{s.number(n)} {label}" for n, label in row))
        return lines

    # -- incoming -------------------------------------------------------------------------

    async def pump(self, state: PersonaState) -> None:
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

    def show(self, events: Sequence[ChatEvent], state: PersonaState) -> None:
        lines: list[str] = []
        for kind, message in coalesce(events):
            lines += self.render(kind, message, state)
        if lines:
            self.write_lines(lines)
            self.show_prompt()

    def notice(self, state: PersonaState) -> None:
        count = len(coalesce(state.pending))
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

    @property
    def state(self) -> PersonaState:
        return self.states[self.current]
