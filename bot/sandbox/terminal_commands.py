"""What the person types, and what it does: messages, button numbers and `:` commands.

A line is sent to the bot as the current persona, unless it is a button number (`2` or
`#2`: press that button of the latest message with buttons) or a `:` command (`:as`,
`:who`, `:send`, `:say`, `:help`, `:quit`). Whatever fails becomes one clear line, not a
traceback, and only what actually reached the bot waits for its answer.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.sandbox.terminal_media import mime_type_of, read_file
from bot.sandbox.terminal_render import numbered_buttons
from bot.sandbox.terminal_screen import ChatScreen

if TYPE_CHECKING:
    from bot.sandbox.driver import BotMessage

BUTTON_NUMBER = re.compile(r"(#?)(\d{1,3})")
QUIT = frozenset({":quit", ":q", ":exit"})


class TerminalChat(ChatScreen):
    """A terminal session that acts on the person's lines."""

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

    async def handle(self, line: str) -> bool:
        """Act on one input line; False when the person wants to leave."""
        line = line.strip()
        if not self.interactive and line:
            self.write_lines([self.style.header(f"{self.current} › ") + line])
        if not line:
            return True
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word in QUIT:
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
        match = BUTTON_NUMBER.fullmatch(line)
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
            path, data = read_file(raw_path)
        except OSError as exc:
            self.complain(f"cannot read {raw_path}: {exc.strerror or exc}")
            return False
        mime_type = mime_type_of(path)
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
        buttons = dict(numbered_buttons(message.buttons))
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
