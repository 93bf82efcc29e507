"""Chat with the bot from a terminal, as one of several simulated Telegram users.

`summitbot demo` runs the real bot against the Telegram emulator; this is the person's side
of it. Every persona (a delegate, a delegate of another delegation, an organizer) has its
own private chat with the bot. The person types as the current persona and sees that chat;
what the bot pushes to the others is announced in one line and shown on switching to them,
which is how the demo shows that a bilateral meeting reaches only its own delegations.

`run_terminal_chat` is the session's loop. The parts, one concept to a module:

* `terminal_personas`: who the person can be, and each persona's pending messages;
* `terminal_render`: bot messages as terminal text (entities as ANSI styles, UTF-16 offsets
  mapped to Python's, numbered buttons);
* `terminal_media`: files sent from disk and files received, saved once;
* `terminal_screen`: the output, each chat's pump, and waiting for the bot to go quiet;
* `terminal_commands`: what a typed line does (messages, button numbers, `:` commands);
* `terminal_input`: standard input read by a daemon thread, and Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TextIO

from bot.sandbox.terminal_commands import TerminalChat
from bot.sandbox.terminal_input import isatty, next_line, on_ctrl_c, stdin_lines
from bot.sandbox.terminal_personas import TerminalPersona
from bot.sandbox.terminal_render import render_text

__all__ = ["TerminalPersona", "render_text", "run_terminal_chat"]


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
        color = isatty(output) and not os.environ.get("NO_COLOR")
    interactive = input_lines is None and isatty(sys.stdin) and isatty(output)
    chat = TerminalChat(
        personas, output, color, downloads_dir, interactive, quiet_seconds, reply_timeout
    )
    lines = input_lines if input_lines is not None else stdin_lines()
    pumps = [asyncio.create_task(chat.pump(state)) for state in chat.states.values()]
    try:
        with on_ctrl_c(chat.interrupt) if input_lines is None else contextlib.nullcontext():
            chat.write_lines(chat.banner())
            chat.say(f"you are {chat.current}: {chat.state.persona.description}")
            chat.show_prompt()
            while (line := await next_line(lines, chat.stop)) is not None:
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
