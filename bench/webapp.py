"""The Mini App's weight and its first render, in headless Chromium over loopback.

    .venv/bin/python -m bench.webapp [--delegates 2000] [--repeat 15] [--out PATH]

A summit from `bench.make_summit` is imported with `summitbot import`, `summitbot run`
serves the Mini App (polling mode, its own server on loopback) against the Telegram
emulator, and Chromium from the distribution (`make browser`) opens the page as a
registered delegate, each time in a fresh browser context (empty cache). "First render"
is the page's own `summit-first-render` mark: from navigation start until the delegate's
day is on screen, i.e. the page, its script and style, and `/api/me` (which brings the
first day's agenda along; initData verified). Weight is the bytes of the page's JS and
CSS as served.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.common import RESULTS, Spread, child_environment, machine, markdown_table, write_fragment
from bench.make_summit import make_summit
from bot.sandbox.emulator import TelegramEmulator
from bot.webapp.init_data import for_user
from bot.webapp.server import STATIC_DIR
from tests.support.browser import CHROMIUM_ARGS

TOKEN = "123456:BENCH-token-for-the-emulator"
WEIGHT_TARGET = 100 * 1024
RENDER_TARGET_MS = 300.0


READY_SECONDS = 60.0


async def _ready(emulator: TelegramEmulator) -> None:
    """deleteWebhook is the bot's last call before it polls (as the tests use it)."""
    deadline = time.monotonic() + READY_SECONDS
    for _ in iter(lambda: time.monotonic() < deadline, False):
        if any(r.method == "deleteWebhook" for r in emulator.requests):
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the bot did not start")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _config(folder: Path, api: str, port: int) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f"""
[telegram]
token = "{TOKEN}"
api_base_url = "{api}"
[storage]
database = "summit.db"
[summit]
name = "Bench Summit"
timezone = "Asia/Riyadh"
organizers = []
[webapp]
url = "http://127.0.0.1:{port}/app/"
port = {port}
""",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


async def _run(folder: Path, delegates: int, repeat: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    load = os.getloadavg()[0]
    size = make_summit(folder / "data", delegates=delegates)
    port = _free_port()
    async with TelegramEmulator(token=TOKEN) as emulator:
        config = _config(folder, emulator.api_base_url, port)
        env = child_environment()
        imported = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "import", "--config", str(config),
            *map(str, size.files), env=env, stdout=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        assert await imported.wait() == 0, "import failed"
        invites = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "invites", "--config", str(config),
            env=env, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, _ = await invites.communicate()
        delegate_id, _, code, _ = out.decode().splitlines()[1].split(",", 3)
        log = (folder / "bot.log").open("wb")
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config),
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            await _ready(emulator)
            user = emulator.user(4242, first_name="Bench")
            await user.send(f"/start {code}")
            await user.reply(timeout=30)
            init_data = for_user(4242, TOKEN, first_name="Bench", language_code="en")
            base = f"http://127.0.0.1:{port}/app/"
            async with httpx.AsyncClient() as client:
                served = {
                    name: len((await client.get(base + "static/" + name)).content)
                    for name in ("app.js", "app.css")
                }
                page_bytes = len((await client.get(base)).content)
            renders = []
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, chromium_sandbox=False
                )
                url = f"{base}#tgWebAppData={quote(init_data, safe='')}"
                for index in range(repeat + 1):
                    context = await browser.new_context()
                    page = await context.new_page()
                    await page.goto(url)
                    await page.wait_for_selector("body[data-ready]", timeout=30000)
                    mark = await page.evaluate(
                        "performance.getEntriesByName('summit-first-render')[0].startTime"
                    )
                    if index:  # the first opening warms Chromium itself up
                        renders.append(float(mark))
                    await context.close()
                await browser.close()
        finally:
            bot.terminate()
            await bot.wait()
            log.close()
    gzipped = sum(
        len(gzip.compress((STATIC_DIR / name).read_bytes())) for name in ("app.js", "app.css")
    )
    return {
        "load": load,
        "size": size,
        "delegate": delegate_id,
        "served": served,
        "page": page_bytes,
        "gzipped": gzipped,
        "renders": renders,
    }


def _report(result: dict[str, object], delegates: int, repeat: int) -> str:
    served: dict[str, int] = result["served"]  # type: ignore[assignment]
    renders: list[float] = result["renders"]  # type: ignore[assignment]
    size = result["size"]
    weight = sum(served.values())
    spread = Spread.of(renders)
    p95 = statistics.quantiles(renders, n=20)[-1] if len(renders) >= 2 else renders[0]
    rows = [
        ["app.js + app.css as served", f"{weight / 1024:.1f} KB", "< 100 KB",
         "yes" if weight < WEIGHT_TARGET else "no"],
        ["the same, gzip-compressed", f"{int(result['gzipped']) / 1024:.1f} KB", "—", "—"],  # type: ignore[call-overload]
        ["index.html", f"{int(result['page']) / 1024:.1f} KB", "—", "—"],  # type: ignore[call-overload]
        [f"first render, median of {len(renders)} (min–max)",
         f"{spread.median:.0f} ms ({spread.low:.0f}–{spread.high:.0f})", "< 300 ms",
         "yes" if spread.median < RENDER_TARGET_MS else "no"],
        ["first render, p95", f"{p95:.0f} ms", "—", "—"],
    ]  # fmt: skip
    return "\n".join(
        [
            "## Mini App: page weight and first render",
            "",
            f"- Machine: {machine()}; 1-minute load average at the start: "
            f"{result['load']:.2f} (other work on the machine widens the spread).",
            f"- Data: `bench.make_summit` with {delegates:,} delegates, "
            f"{size.sessions:,} sessions; the page opened as a registered delegate "  # type: ignore[attr-defined]
            "(their day: timeline of their agenda).",
            "- First render: Chromium (Debian package, headless) on loopback, a fresh browser "
            "context each time, from navigation start to the page's `summit-first-render` "
            "mark (page, script, style, and `/api/me` with the first day's agenda, initData "
            "checked); "
            f"{repeat} measured openings after one warm-up.",
            "- Repeat with `make bench`, or `.venv/bin/python -m bench.webapp`.",
            "",
            markdown_table(["measure", "value", "target", "met?"], rows),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--delegates", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, default=RESULTS / "webapp.md")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-webapp-") as folder:
        result = asyncio.run(_run(Path(folder), options.delegates, options.repeat))
    text = _report(result, options.delegates, options.repeat)
    write_fragment(options.out, text)
    print(text)
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
