"""The Mini App in headless Chromium against the real bot process and the emulator."""

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.sandbox.demo_summit import build_demo_summit
from bot.webapp.init_data import MAX_AGE_SECONDS
from tests.e2e.conftest import ORGANIZER_ID
from tests.support.browser import headless_chromium, open_page
from tests.support.summit_files import DAY1, DAY2
from tests.support.webapp import summit_with_mini_app

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SECRETS = ("bil-zy", "Zembla", "Salon 4", "private-plenary", "Closed plenary")
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
async def browser():
    async with headless_chromium() as chromium:
        yield chromium


@pytest.fixture
async def app_summit(tmp_path, emulator):
    async with summit_with_mini_app(tmp_path, emulator) as summit:
        yield summit


async def ready(page):
    await page.wait_for_selector("body[data-ready]", timeout=15000)


async def test_delegate_sees_her_day_adds_a_found_session_and_chat_agrees(app_summit, browser):
    alice = await app_summit.register("alice")
    page = await open_page(browser, app_summit.app.base, app_summit.app.init_data(alice.user_id))
    bodies = []

    async def keep(response):
        if "/api/" in response.url:
            bodies.append(await response.text())

    page.on("response", keep)
    await ready(page)
    # Her day (today): the session placed 30 minutes from now.
    await page.wait_for_selector("#timeline")
    assert "Briefing on logistics" in await page.inner_text("#timeline")
    await page.click(f"[data-day='{DAY1.isoformat()}']")
    await page.wait_for_selector("#timeline >> text=Cyber defense")
    await page.click("[data-tab='programme']")
    await page.fill("#search", "crisis")
    card = page.locator("[data-session='crisis']")
    await card.wait_for()
    await card.locator("[data-toggle='crisis']").click()
    await page.wait_for_selector("#toast >> text=Added to your agenda: Crisis management")
    await alice.send(f"/agenda {DAY2.isoformat()}")
    assert "Crisis management" in (await alice.reply()).text
    # Everything the page received while she browsed, read raw: no one else's secrets.
    await page.fill("#search", "bilateral")
    await page.wait_for_selector("[data-session='bil-xy']")
    await page.fill("#search", "")
    await page.click(f"[data-day='{DAY1.isoformat()}']")
    await page.wait_for_selector("#results [data-session='cyber']")
    assert len(bodies) >= 6
    for body in bodies:
        for secret in SECRETS:
            assert secret not in body, body[:300]


async def test_organizer_moves_a_session_in_the_grid_and_attendees_are_told(app_summit, browser):
    alice = await app_summit.register("alice")
    app = app_summit.app
    page = await open_page(browser, app.base, app.init_data(ORGANIZER_ID), width=900)
    page.on("dialog", lambda dialog: dialog.accept())
    await ready(page)
    await page.click(f"[data-day='{DAY1.isoformat()}']")
    # The organizer's grid shows invited sessions too.
    await page.wait_for_selector("#grid [data-session='bil-zy']")
    await page.click("#grid [data-session='cyber']")
    await page.fill("#move-room", "Room Z")
    await page.click("#do-move")
    await page.wait_for_selector("#toast >> text=1 delegate is being told")
    assert "Room A → Room Z" in (await alice.reply()).text
    await page.wait_for_selector("#grid .room >> text=Room Z")


async def test_forged_expired_and_other_bot_init_data_show_nothing(app_summit, browser):
    alice = await app_summit.register("alice")
    app = app_summit.app
    good = app.init_data(alice.user_id)
    refused = {
        "forged": good.replace("hash=", "hash=00"),
        "expired": app.init_data(alice.user_id, auth_date=time.time() - MAX_AGE_SECONDS - 60),
        "another bot": app.init_data(alice.user_id, token="654321:ANOTHER-bot"),
    }
    for name, init_data in refused.items():
        page = await open_page(browser, app.base, init_data)
        await page.wait_for_selector("#view >> text=Open this page from the bot's menu button")
        assert await page.locator("[data-session]").count() == 0, name
        await page.context.close()


async def test_the_arabic_page_lays_out_right_to_left(app_summit, browser):
    alice = await app_summit.register("alice", language_code="ar")
    page = await open_page(
        browser, app_summit.app.base, app_summit.app.init_data(alice.user_id, language="ar")
    )
    await ready(page)
    assert await page.get_attribute("html", "dir") == "rtl"
    assert await page.get_attribute("html", "lang") == "ar"
    await page.wait_for_selector("#timeline li")
    time_box = await page.locator("#timeline .time").first.bounding_box()
    card_box = await page.locator("#timeline .card").first.bounding_box()
    # Mirrored: the time column sits right of the card.
    assert time_box["x"] > card_box["x"] + card_box["width"] - 1
    tabs = await page.locator("#tabs button").all_inner_texts()
    assert tabs[0] == "يومي"


async def test_screenshots(tmp_path, emulator, browser):
    """The delegate timeline (en, ar) and the organizer grid on the demo summit.

    `make screenshots` writes them to docs/; otherwise they go to the test's tmp dir.
    """
    demo = build_demo_summit(datetime.now(UTC).date())
    target = DOCS if os.environ.get("SUMMITBOT_SCREENSHOTS") == "docs" else tmp_path
    async with summit_with_mini_app(tmp_path, emulator, demo.files) as summit:
        delegate, _, organizer = demo.personas[:3]
        for persona in (delegate, organizer):
            user = emulator.user(persona.telegram_user_id, first_name=persona.name.split()[0])
            await user.send(f"/start {summit.codes[persona.delegate_id]}")
            await user.reply()
        app = summit.app
        shots = {
            "webapp-delegate-en.png": (app.init_data(delegate.telegram_user_id, "en"), 420),
            "webapp-delegate-ar.png": (app.init_data(delegate.telegram_user_id, "ar"), 420),
            "webapp-organizer-grid.png": (app.init_data(organizer.telegram_user_id, "en"), 1100),
        }
        for name, (init_data, width) in shots.items():
            if "-ar" in name:
                await summit.emulator.user(delegate.telegram_user_id).send("/language ar")
                await summit.emulator.user(delegate.telegram_user_id).reply()
            page = await open_page(browser, app.base, init_data, width=width, height=900)
            await ready(page)
            if "grid" in name:
                await page.click("[data-tab='grid']")
                await page.wait_for_selector("#grid .session")
            else:
                await page.wait_for_selector("#timeline li")
            await page.screenshot(path=str(target / name))
            await page.context.close()
    for name in shots:
        data = (target / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5000
    assert json.dumps(sorted(shots))  # names are stable for the docs
