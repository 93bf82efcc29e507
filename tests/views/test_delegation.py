"""/delegation: where each member of a head's delegation is now and next."""

from datetime import timedelta

from bot.domain.models import Delegate, Role
from bot.views import delegation
from tests.views.builders import AR, DAY, EN, FR, assert_fits, isolated, session

HEAD = Delegate("1", "Ana <Ruiz>", "Chile", role=Role.HEAD)
MEMBER = Delegate("2", "Bo & Co", "Chile")
NOW = session("p1", "Trade & <Tariffs>", 9, room="Hall <A>")
LATER = session("p2", "Closing", 9, room="Main", day=DAY + timedelta(days=1))


def test_each_member_with_now_and_next_in_venue_time_escaped():
    (reply,) = delegation.delegation(EN, "Chile & <Co>", [(HEAD, NOW, LATER), (MEMBER, None, None)])
    assert reply.text.split("\n") == [
        "<b>Delegation Chile &amp; &lt;Co&gt;</b>",
        "2 members",
        "",
        "<b>Ana &lt;Ruiz&gt;</b> — head of delegation",
        "  now: Trade &amp; &lt;Tariffs&gt;, 📍 Hall &lt;A&gt; (until 10:00)",
        "  next: Wed 2 Dec 09:00 Closing, 📍 Main",
        "<b>Bo &amp; Co</b>",
        "  nothing more on their agenda",
    ]
    assert reply.buttons == ()


def test_only_next_and_singular_count():
    (reply,) = delegation.delegation(EN, "Chile", [(MEMBER, None, LATER)])
    assert "\n1 member\n" in reply.text
    assert "now:" not in reply.text and "nothing more" not in reply.text


def test_french_and_arabic():
    (french,) = delegation.delegation(FR, "Chile", [(HEAD, NOW, None)])
    assert "chef de délégation" in french.text and "(jusqu'à 10:00)" in french.text
    (arabic,) = delegation.delegation(AR, "Chile", [(HEAD, NOW, None)])
    assert f"<b>{isolated('Ana &lt;Ruiz&gt;')}</b> — رئيس الوفد" in arabic.text
    assert isolated("Hall &lt;A&gt;") in arabic.text


def test_a_large_delegation_is_split_within_the_limit():
    members = [
        (Delegate(str(i), f"Member {i} " + "x" * 80, "Chile"), NOW, LATER) for i in range(100)
    ]
    replies = delegation.delegation(EN, "Chile", members)
    assert len(replies) > 1
    assert_fits(replies)
    text = "\n".join(reply.text for reply in replies)
    assert all(f"Member {i} " in text for i in range(100))
