"""Registering with an invite link, through the real bot process and the emulator."""

import pytest

pytestmark = pytest.mark.e2e


async def test_invite_link_registers_and_greets_by_name(summit):
    user = summit.new_user("Alice")
    await user.send(f"/start {summit.codes['alice']}")
    reply = await user.reply()
    assert "Welcome, Alice Arnaud!" in reply.text
    assert "Xandria" in reply.text


async def test_a_used_code_is_refused_and_told_apart_from_an_unknown_one(summit):
    await summit.register("alice")
    intruder = summit.new_user("Mallory")
    await intruder.send(f"/start {summit.codes['alice']}")
    assert "already been used" in (await intruder.reply()).text
    await intruder.send("/start AAAAAAAAAAAAAAAA")
    assert "do not recognise" in (await intruder.reply()).text
    await intruder.send("/agenda")
    assert "not registered" in (await intruder.reply()).text


async def test_a_malformed_code_gets_a_clear_answer(summit):
    user = summit.new_user()
    await user.send("/start <script>alert(1)</script>")
    assert "does not look like an invite code" in (await user.reply()).text


async def test_the_same_person_using_their_code_again_is_recognised(summit):
    alice = await summit.register("alice")
    await alice.send(f"/start {summit.codes['alice']}")
    assert "already registered as Alice Arnaud" in (await alice.reply()).text


async def test_one_account_cannot_take_a_second_delegates_code(summit):
    alice = await summit.register("alice")
    await alice.send(f"/start {summit.codes['yara']}")
    assert "already registered as Alice Arnaud" in (await alice.reply()).text
    yara = summit.new_user("Yara")
    await yara.send(f"/start {summit.codes['yara']}")
    assert "Welcome, Yara Yilmaz!" in (await yara.reply()).text


async def test_five_failures_lock_the_account_for_an_hour(summit):
    user = summit.new_user()
    for _ in range(5):
        await user.send("/start BBBBBBBBBBBBBBBB")
        await user.reply()
    await user.send(f"/start {summit.codes['alice']}")
    assert "Too many unsuccessful attempts" in (await user.reply()).text


async def test_invites_are_idempotent_and_drop_used_codes(summit):
    from tests.support.bot_process import invite_codes

    await summit.register("alice")
    again = await invite_codes(summit.config)
    assert again["alice"] == ""
    assert again["yara"] == summit.codes["yara"]


async def test_unregistered_users_get_help_not_silence(summit):
    user = summit.new_user()
    for text in ("/next", "/frobnicate", "hello there"):
        await user.send(text)
        reply = await user.reply()
        assert "not registered" in reply.text


async def test_registered_users_get_help_for_garbage(summit):
    alice = await summit.register("alice")
    await alice.send("/frobnicate now")
    reply = await alice.reply()
    assert "I do not know that command" in reply.text
    assert "/agenda" in reply.text
    await alice.send("/help")
    assert "/next" in (await alice.reply()).text


async def test_groups_get_nothing_private(summit):
    alice = await summit.register("alice")
    group = summit.emulator.group(-100777, title="Xandria delegation")
    await group.send(alice, "/agenda")
    reply = await group.reply()
    assert "private chat" in reply.text
    assert "Cyber" not in reply.text
    assert reply.buttons[0][0].url == f"https://t.me/{summit.emulator.bot_username}"


async def test_reissue_revokes_the_old_code_and_account(summit):
    from tests.support.bot_process import summitbot

    lost_phone = await summit.register("alice")
    result = await summitbot("invites", "--config", str(summit.config), "--reissue", "alice")
    assert result.code == 0, result.stderr
    _, row = result.stdout.strip().splitlines()
    delegate_id, _, new_code, link = row.split(",")
    assert delegate_id == "alice" and new_code != summit.codes["alice"] and link.endswith(new_code)
    await lost_phone.send("/agenda")
    assert "not registered" in (await lost_phone.reply()).text
    finder = summit.new_user("Finder")
    await finder.send(f"/start {summit.codes['alice']}")
    assert "already been used" in (await finder.reply()).text
    new_phone = summit.new_user("Alice")
    await new_phone.send(f"/start {new_code}")
    assert "Welcome, Alice Arnaud!" in (await new_phone.reply()).text
    unknown = await summitbot("invites", "--config", str(summit.config), "--reissue", "nobody")
    assert unknown.code == 1 and "unknown delegate 'nobody'" in unknown.stderr
