"""The guard decorators, on real python-telegram-bot `Update` objects and a recording bot."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot, CallbackQuery, Chat, Message, Update, User

from bot.domain.models import Delegate
from bot.i18n import Catalogs
from bot.storage.people import Account
from bot.telegram.context import BotContext, RegisteredViewer, Viewer
from bot.views import help as help_views
from handlers.guards import (
    organizer_button,
    organizers_only,
    registered,
    registered_button,
    registered_or_organizer,
)

T = Catalogs.load(ZoneInfo("Asia/Riyadh")).get("en")
WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SUMMIT = "Test Summit"
DELEGATE = Delegate(id="7", name="Ana Ruiz", delegation="Chile")


@dataclass
class RecordingBot:
    """Just enough of a Bot for `Chat.send_message` and `CallbackQuery.answer`."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        self.sent.append({"chat_id": chat_id, "text": text, **kwargs})

    async def answer_callback_query(self, callback_query_id: str, **kwargs: Any) -> None:
        self.alerts.append(kwargs)


class FakeContext:
    """The two things a guard asks of `BotContext`: the viewer and the summit's name."""

    def __init__(self, viewer: Viewer) -> None:
        self._viewer = viewer
        self.services = SimpleNamespace(
            settings=SimpleNamespace(summit=SimpleNamespace(name=SUMMIT))
        )

    async def viewer(self, update: Update) -> Viewer:
        return self._viewer


def context(viewer: Viewer) -> BotContext:
    return cast(BotContext, FakeContext(viewer))


def command(bot: RecordingBot, text: str = "/agenda", chat_type: str = Chat.PRIVATE) -> Update:
    user = User(42, "Ana", False)
    chat = Chat(42 if chat_type == Chat.PRIVATE else -100, chat_type)
    message = Message(1, WHEN, chat, from_user=user, text=text)
    update = Update(1, message=message)
    for obj in (update, message, chat, user):
        obj.set_bot(cast(Bot, bot))  # a recording stand-in: only the calls guards make
    return update


def press(bot: RecordingBot, data: str = "ag:2026-12-01", chat_type: str = Chat.PRIVATE) -> Update:
    user = User(42, "Ana", False)
    chat = Chat(42 if chat_type == Chat.PRIVATE else -100, chat_type)
    message = Message(5, WHEN, chat, from_user=user, text="an agenda")
    query = CallbackQuery("q1", user, "instance", message=message, data=data)
    update = Update(2, callback_query=query)
    for obj in (update, query, message, chat, user):
        obj.set_bot(cast(Bot, bot))  # a recording stand-in: only the calls guards make
    return update


def guest() -> Viewer:
    return Viewer(42, None, T, organizer=False)


def delegate(*, organizer: bool = False) -> Viewer:
    account = Account(42, DELEGATE, None, None, None, reachable=True)
    return Viewer(42, account, T, organizer=organizer)


def config_organizer() -> Viewer:
    """An organizer named in the configuration, with no delegate record."""
    return Viewer(42, None, T, organizer=True)


class Calls:
    def __init__(self) -> None:
        self.viewers: list[Any] = []
        self.extras: list[Any] = []


@pytest.fixture
def calls() -> Calls:
    return Calls()


async def test_registered_hands_over_a_typed_viewer(calls):
    @registered
    async def handler(update, context, viewer: RegisteredViewer, extra: str) -> None:
        calls.viewers.append(viewer)
        calls.extras.append(extra)

    bot = RecordingBot()
    await handler(command(bot), context(delegate()), "more")
    (viewer,) = calls.viewers
    assert isinstance(viewer, RegisteredViewer)
    assert viewer.delegate == DELEGATE
    assert viewer.account.delegate == DELEGATE
    assert calls.extras == ["more"]
    assert bot.sent == []


async def test_registered_tells_a_guest_how_to_register(calls):
    @registered
    async def handler(update, context, viewer) -> None:
        calls.viewers.append(viewer)

    bot = RecordingBot()
    await handler(command(bot), context(guest()))
    assert calls.viewers == []
    (message,) = bot.sent
    assert message["text"] == help_views.help_text(T, registered=False, summit=SUMMIT).text
    assert help_views.not_registered_text(T) in message["text"]


async def test_registered_refuses_an_organizer_without_a_delegate(calls):
    @registered
    async def handler(update, context, viewer) -> None:
        calls.viewers.append(viewer)

    bot = RecordingBot()
    await handler(command(bot), context(config_organizer()))
    assert calls.viewers == []
    assert len(bot.sent) == 1


async def test_registered_or_organizer_lets_both_in(calls):
    @registered_or_organizer
    async def handler(update, context, viewer) -> None:
        calls.viewers.append(viewer)

    bot = RecordingBot()
    for viewer in (delegate(), config_organizer()):
        await handler(command(bot), context(viewer))
    await handler(command(bot), context(guest()))
    assert calls.viewers == [delegate(), config_organizer()]
    (refusal,) = bot.sent
    assert refusal["text"] == help_views.help_text(T, registered=False, summit=SUMMIT).text


async def test_organizers_only_refuses_delegates(calls):
    @organizers_only
    async def handler(update, context, viewer) -> None:
        calls.viewers.append(viewer)

    bot = RecordingBot()
    await handler(command(bot, "/stats"), context(delegate()))
    await handler(command(bot, "/stats"), context(delegate(organizer=True)))
    assert calls.viewers == [delegate(organizer=True)]
    (refusal,) = bot.sent
    assert refusal["text"] == help_views.organizers_only(T).text


async def test_refusals_are_html_by_the_applications_defaults():
    """No guard names a parse mode: the application's Defaults(parse_mode=HTML) do."""

    @organizers_only
    async def handler(update, context, viewer) -> None:
        raise AssertionError("refused first")

    bot = RecordingBot()
    await handler(command(bot, "/stats"), context(guest()))
    # PTB passes its "use the default" marker, which is falsy; Defaults fill it in.
    assert not bot.sent[0]["parse_mode"]


async def test_registered_button_alerts_guests_and_group_presses(calls):
    @registered_button
    async def handler(update, context, viewer) -> None:
        calls.viewers.append(viewer)

    bot = RecordingBot()
    await handler(press(bot), context(guest()))
    await handler(press(bot, chat_type=Chat.GROUP), context(delegate()))
    await handler(press(bot), context(delegate()))
    assert [v.delegate for v in calls.viewers] == [DELEGATE]
    expected = (help_views.not_registered_text(T), True)
    assert [(a["text"], a["show_alert"]) for a in bot.alerts] == [expected, expected]
    assert bot.sent == []


async def test_organizer_button_alerts_with_the_given_refusal(calls):
    @organizer_button(lambda t: "organizers only")
    async def handler(update, context, viewer) -> None:
        calls.viewers.append(viewer)

    bot = RecordingBot()
    await handler(press(bot, "bc:ok:1"), context(delegate()))
    await handler(press(bot, "bc:ok:1"), context(config_organizer()))
    assert calls.viewers == [config_organizer()]
    assert [(a["text"], a["show_alert"]) for a in bot.alerts] == [("organizers only", True)]


def test_a_viewer_is_registered_only_with_a_delegate():
    assert guest().registered() is None
    assert config_organizer().registered() is None
    registered_viewer = delegate(organizer=True).registered()
    account = delegate().account
    assert account is not None
    assert registered_viewer == RegisteredViewer(
        42,
        account,
        T,
        True,
        DELEGATE,
    )
