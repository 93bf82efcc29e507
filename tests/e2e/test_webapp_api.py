"""The Mini App's API through the real bot process: initData, rights, visibility, notices."""

import asyncio
import re
import time

import pytest

from bot.webapp.init_data import MAX_AGE_SECONDS
from tests.e2e.conftest import ORGANIZER_ID
from tests.support.summit_files import DAY1, DAY2, DAY3
from tests.support.webapp import add_room_with_plan, files_now, png, summit_with_mini_app

pytestmark = pytest.mark.e2e

# What only Zembla and Yoland (bil-zy) and zed (private-plenary) may know.
SECRETS = ("bil-zy", "Zembla", "Salon 4", "private-plenary", "Closed plenary")


@pytest.fixture
async def app_summit(tmp_path, emulator):
    async with summit_with_mini_app(tmp_path, emulator) as summit:
        yield summit


async def test_forged_expired_and_other_bot_init_data_are_refused(app_summit):
    app = app_summit.app
    alice = await app_summit.register("alice")
    good = app.init_data(alice.user_id)
    forged = re.sub(r"hash=[0-9a-f]{4}", "hash=0000", good)
    expired = app.init_data(alice.user_id, auth_date=time.time() - MAX_AGE_SECONDS - 5)
    other_bot = app.init_data(alice.user_id, token="654321:ANOTHER-bot")
    calls = (
        ("me", None),
        ("programme?day=" + DAY1.isoformat(), None),
        ("attend", {"session": "crisis", "attending": True}),
        ("grid?day=" + DAY1.isoformat(), None),
    )
    for path, body in calls:
        for refused in (forged, expired, other_bot, ""):
            response = await app.call(path, init_data=refused, body=body)
            assert response.status_code == 401, (path, response.text)
    missing = await app.client.get(app.base + "api/me")
    assert missing.status_code == 401
    # Nothing was added by the refused calls; the same calls signed properly work.
    agenda = await app.call(f"agenda?day={DAY2.isoformat()}", init_data=good)
    assert agenda.status_code == 200 and "crisis" not in agenda.text
    for path, body in calls:
        assert (await app.call(path, init_data=good, body=body)).status_code in (200, 403)
    agenda = await app.call(f"agenda?day={DAY2.isoformat()}", init_data=good)
    assert "crisis" in agenda.text


async def test_a_delegate_never_receives_another_delegations_invited_sessions(app_summit):
    app = app_summit.app
    alice = await app_summit.register("alice")  # Xandria; attends bil-xy, not bil-zy
    raw = []
    for path in ["me", "bilaterals", "broadcasts", "bookings"]:
        raw.append(await app.call(path, alice.user_id))
    for day in (DAY1, DAY2, DAY3):
        for path in ("agenda", "programme", "grid"):
            raw.append(await app.call(f"{path}?day={day.isoformat()}", alice.user_id))
    for query in ("Bilateral", "Zembla", "Closed", "Salon", "plenary", "zy"):
        raw.append(await app.call(f"programme?q={query}", alice.user_id))
    for session in ("bil-zy", "private-plenary"):
        raw.append(await app.call(f"map?session={session}", alice.user_id))
        raw.append(await app.call(f"map-image?session={session}", alice.user_id))
        raw.append(
            await app.call("attend", alice.user_id, body={"session": session, "attending": True})
        )
    for response in raw:
        for secret in SECRETS:
            assert secret not in response.text, (response.request.url, response.text[:300])
    # Her own bilateral is there; organizer-only calls are refused.
    day1 = await app.call(f"programme?day={DAY1.isoformat()}", alice.user_id)
    assert "bil-xy" in day1.text
    assert (await app.call(f"grid?day={DAY1.isoformat()}", alice.user_id)).status_code == 403
    assert (await app.call("broadcasts", alice.user_id)).status_code == 403
    assert (
        await app.call("move", alice.user_id, body={"session": "cyber", "room": "X"})
    ).status_code == 403
    # The invited session she may not see is unknown, exactly like one that does not exist.
    unknown = await app.call("attend", alice.user_id, body={"session": "nope", "attending": True})
    hidden = await app.call("attend", alice.user_id, body={"session": "bil-zy", "attending": True})
    assert (hidden.status_code, hidden.json()) == (unknown.status_code, unknown.json())


async def test_search_add_and_the_chat_agenda_agree(app_summit):
    app = app_summit.app
    alice = await app_summit.register("alice")
    found = (await app.call("programme?q=crisis", alice.user_id)).json()["sessions"]
    assert [s["id"] for s in found] == ["crisis"] and found[0]["can_toggle"]
    added = await app.call("attend", alice.user_id, body={"session": "crisis", "attending": True})
    assert added.json()["message"] == "Added to your agenda: Crisis management"
    await alice.send(f"/agenda {DAY2.isoformat()}")
    agenda = await alice.reply()
    assert "Crisis management" in agenda.text
    assert "📅 Open the programme" in agenda.button_texts()
    # Open plenaries and organizer-assigned meetings stay as they are.
    fixed = await app.call("attend", alice.user_id, body={"session": "open", "attending": False})
    assigned = await app.call(
        "attend", alice.user_id, body={"session": "bil-xy", "attending": False}
    )
    assert fixed.status_code == 409 and assigned.status_code == 409
    assert "organizers" in assigned.json()["error"]


async def test_organizer_moves_in_the_api_and_attendees_are_told(app_summit):
    app = app_summit.app
    alice = await app_summit.register("alice")
    grid = (await app.call(f"grid?day={DAY1.isoformat()}", ORGANIZER_ID)).json()
    assert {"bil-xy", "bil-zy", "cyber"} <= {s["id"] for s in grid["sessions"]}
    moved = await app.call("move", ORGANIZER_ID, body={"session": "cyber", "room": "Room Z"})
    assert moved.status_code == 200 and "1 delegate is being told" in moved.json()["message"]
    assert "Room A → Room Z" in (await alice.reply()).text
    again = await app.call("move", ORGANIZER_ID, body={"session": "cyber", "room": "Room Z"})
    assert again.status_code == 409
    later = await app.call("reschedule", ORGANIZER_ID, body={"session": "cyber", "start": "15:00"})
    assert "15:00–16:30" in later.json()["message"]
    assert "15:00–16:30" in (await alice.reply()).text
    bad = await app.call("reschedule", ORGANIZER_ID, body={"session": "cyber", "start": "soon"})
    assert bad.status_code == 400 and "cannot read soon" in bad.json()["error"]
    cancelled = await app.call("cancel", ORGANIZER_ID, body={"session": "cyber"})
    assert "is cancelled" in cancelled.json()["message"]
    assert "Cancelled" in (await alice.reply()).text


async def test_venue_map_only_for_sessions_one_may_see(app_summit, tmp_path):
    app = app_summit.app
    alice = await app_summit.register("alice")
    plan = tmp_path / "floor1.png"
    plan.write_bytes(png(40, 30))
    add_room_with_plan(tmp_path / "summit.db", plan, "Room A", 12, 7)
    add_room_with_plan(tmp_path / "summit.db", plan, "Salon 4", 30, 20)
    where = (await app.call("map?session=cyber", alice.user_id)).json()
    assert (where["room"], where["x"], where["y"]) == ("Room A", 12, 7)
    image = await app.call("map-image?session=cyber", alice.user_id)
    assert image.content == plan.read_bytes() and image.headers["Content-Type"] == "image/png"
    assert (await app.call("map-image?session=bil-zy", alice.user_id)).status_code == 404
    assert (await app.call("map-image?session=cyber", init_data="")).status_code == 401


async def test_menu_button_page_headers_and_unregistered_visitors(app_summit):
    app = app_summit.app
    button = app_summit.emulator.menu_buttons.for_chat(None)
    assert button["type"] == "web_app" and button["web_app"]["url"] == app.base
    page = await app.client.get(app.base)
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors" in csp and "unsafe" not in csp
    for asset in ("static/app.js", "static/app.css"):
        response = await app.client.get(app.base + asset)
        assert response.status_code == 200 and "http" not in response.text.replace(
            "https://web.telegram.org", ""
        )
    assert "http" not in page.text
    stranger = await app.call("me", 5555)
    assert stranger.status_code == 403
    arabic = (await app.call("me", ORGANIZER_ID, language="ar")).json()
    assert arabic["dir"] == "rtl" and arabic["strings"]["programme"] != "Programme"


async def test_bilateral_sections_are_for_heads_and_organizers_and_empty_without_requests(
    tmp_path, emulator
):
    files = files_now()
    files["delegates.csv"] += b"hana,Hana Haddad,Xandria,,head\n"
    async with summit_with_mini_app(tmp_path, emulator, files) as summit:
        app = summit.app
        hana = await summit.register("hana")
        alice = await summit.register("alice")
        me = (await app.call("me", hana.user_id)).json()
        assert me["head"] is True and me["organizer"] is False
        assert (await app.call("bilaterals", hana.user_id)).json() == {"items": []}
        refused = await app.call("bilaterals", alice.user_id)
        assert refused.status_code == 403 and "heads of delegation" in refused.json()["error"]
        assert (await app.call("bookings", ORGANIZER_ID)).json() == {"items": []}
        assert (await app.call("bookings", hana.user_id)).status_code == 403


async def test_broadcast_progress_and_acknowledgements_for_organizers(app_summit):
    app = app_summit.app
    alice = await app_summit.register("alice")
    organizer = app_summit.organizer
    await organizer.send("/urgent all Please proceed to Hall B.")
    preview = await organizer.reply()
    await organizer.press(preview, preview.button_texts()[0])
    notice = await alice.reply()
    await alice.press(notice, notice.button_texts()[0])
    for _ in range(50):
        items = (await app.call("broadcasts", ORGANIZER_ID)).json()["items"]
        if items and items[0]["delivered"] == 1 and items[0]["acknowledged"] == 1:
            break
        await asyncio.sleep(0.1)
    assert items[0]["urgent"] is True and items[0]["audience"] == "all delegates"
    assert (items[0]["total"], items[0]["delivered"], items[0]["acknowledged"]) == (1, 1, 1)
