"""Headless Chromium (from the distribution, not Playwright's download) driving the Mini App."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    return shutil.which("chromium")


@asynccontextmanager
async def headless_chromium() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    path = chromium_path()
    if path is None:
        pytest.fail("no Chromium: run `make browser` (apt-get install chromium) first")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, chromium_sandbox=False
        )
        try:
            yield chromium
        finally:
            await chromium.close()


def mini_app_url(base: str, init_data: str) -> str:
    """The URL Telegram opens: initData in the fragment, as `tgWebAppData`."""
    return (
        f"{base}#tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=8.0&tgWebAppPlatform=web"
    )


async def open_page(browser, base: str, init_data: str, *, width: int = 420, height: int = 860):
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    await page.goto(mini_app_url(base, init_data))
    return page
