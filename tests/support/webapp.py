"""The Mini App in tests: a summit whose bot serves it, and a client that signs like Telegram."""

from __future__ import annotations

import socket
import sqlite3
import struct
import zlib
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bot.webapp.init_data import for_user
from tests.support.bot_process import TOKEN
from tests.support.summit_files import summit_files


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webapp_config(port: int) -> str:
    return f"""
[webapp]
url = "http://127.0.0.1:{port}/app/"
listen = "127.0.0.1"
port = {port}
"""


def png(width: int, height: int, rgb: tuple[int, int, int] = (230, 236, 244)) -> bytes:
    """A plain PNG floor plan, made without any imaging library."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def add_room_with_plan(database: Path, plan: Path, name: str, x: int, y: int) -> None:
    """A rooms-file row, written as the rooms import would (that import lives elsewhere)."""
    from bot.domain.rooms import room_key

    with sqlite3.connect(database) as db:
        db.execute(
            """INSERT INTO room (key, name, building, floor, capacity, map_path, x, y)
               VALUES (?, ?, 'Conference Centre', '1', 80, ?, ?, ?)""",
            (room_key(name), name, str(plan), x, y),
        )


@dataclass
class MiniApp:
    """Calls the Mini App's API as the page does, with a signed initData."""

    base: str
    client: httpx.AsyncClient

    def init_data(self, user_id: int, language: str = "en", token: str = TOKEN, **extra) -> str:
        return for_user(user_id, token, first_name="Test", language_code=language, **extra)

    async def call(
        self, path: str, user_id: int | None = None, *, init_data=None, body=None, language="en"
    ):
        if init_data is None:
            assert user_id is not None, "call() needs a user_id or init_data"
            data = self.init_data(user_id, language)
        else:
            data = init_data
        headers = {"Authorization": f"tma {data}".strip()}
        if body is None:
            return await self.client.get(self.base + "api/" + path, headers=headers)
        return await self.client.post(self.base + "api/" + path, headers=headers, json=body)


@asynccontextmanager
async def mini_app(port: int):
    async with httpx.AsyncClient(timeout=10) as client:
        yield MiniApp(f"http://127.0.0.1:{port}/app/", client)


def files_now():
    return summit_files(datetime.now(UTC))


@asynccontextmanager
async def summit_with_mini_app(tmp_path: Path, emulator, files=None):
    """`launch` with the Mini App on; the summit gets an `app` API client."""
    from tests.e2e.conftest import launch

    port = free_port()
    async with (
        launch(
            tmp_path, emulator, files or files_now(), extra_config=webapp_config(port)
        ) as summit,
        mini_app(port) as app,
    ):
        summit.app = app
        yield summit
