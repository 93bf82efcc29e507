"""The Mini App's bilateral sections read the same bilateral service as the chat."""

from __future__ import annotations

from tests.e2e.conftest import ORGANIZER_ID, launch
from tests.e2e.test_bilaterals import ask, choose_first_slot
from tests.support import bilateral_summit
from tests.support.rooms import seed_rooms
from tests.support.webapp import free_port, mini_app, webapp_config


async def test_heads_and_organizers_see_a_request_and_nobody_else_does(tmp_path, emulator):
    port = free_port()
    config = bilateral_summit.CONFIG + webapp_config(port)
    async with (
        launch(tmp_path, emulator, bilateral_summit.files(), extra_config=config) as summit,
        mini_app(port) as app,
    ):
        await seed_rooms(tmp_path / "summit.db", bilateral_summit.ROOMS)
        hx = await summit.register("hx")
        hy = await summit.register("hy", language_code="ar")
        hz = await summit.register("hz", language_code="fr")
        x3 = await summit.register("x3")
        slots = await ask(hx, "yol", ["Xavier"], topic="Secret agenda")
        sent = await choose_first_slot(hx, slots)
        assert "Request sent to Yoland" in sent.text

        mine = (await app.call("bilaterals", hx.user_id)).json()["items"]
        assert [(i["room"], i["other"]) for i in mine] == [("Salon 1", "Yoland")]
        theirs = (await app.call("bilaterals", hy.user_id, language="ar")).json()["items"]
        assert [(i["room"], i["other"]) for i in theirs] == [("Salon 1", "Xandria")]
        assert mine[0]["id"] == theirs[0]["id"]
        booked = (await app.call("bookings", ORGANIZER_ID)).json()["items"]
        assert [(b["room"], b["other"]) for b in booked] == [("Salon 1", "Xandria – Yoland")]

        # A third delegation's head and a plain delegate learn nothing, in any raw answer.
        third = await app.call("bilaterals", hz.user_id, language="fr")
        assert third.json() == {"items": []}
        for user in (hz, x3):
            for call in ("me", "agenda", "programme"):
                raw = (await app.call(call, user.user_id)).text
                assert "Secret agenda" not in raw and "Yoland" not in raw, (call, raw[:200])
        assert (await app.call("bookings", hz.user_id)).status_code == 403
