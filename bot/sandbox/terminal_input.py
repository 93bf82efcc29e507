"""Lines the person types: standard input read without blocking the bot, and Ctrl-C.

Standard input is read by a daemon thread with `os.read` on the raw descriptor. That never
blocks the event loop, works for a tty, a pipe or a redirected file alike, does not switch
the descriptor to non-blocking mode (which a tty shares with standard output), and leaves
no lock held if the process exits while the thread waits for a line.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any


async def stdin_lines() -> AsyncIterator[str]:
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
def on_ctrl_c(callback: Callable[[], None]) -> Iterator[None]:
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


async def next_line(lines: AsyncIterator[str], stop: asyncio.Event) -> str | None:
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


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
