"""/bookings: the organizers' day of bilateral rooms, confirm/decline buttons, conflicts."""

from datetime import date

from bot.domain.bilaterals import BookingState
from bot.views import bilateral_rooms as views
from tests.views.builders import AR, DAY, EN, FR, assert_fits, booking, data, isolated, session

PREVIOUS, FOLLOWING = date(2026, 11, 30), date(2026, 12, 2)
ROOMS = [("Room B", 1), ("Room <C>", 4)]


def day(bookings, *, approval=True, rooms=ROOMS, translator=EN):
    return views.bookings_day(
        translator, DAY, rooms, bookings, approval=approval, previous=PREVIOUS, following=FOLLOWING
    )


def test_each_room_with_its_bookings_and_free_rooms():
    (reply,) = day([booking(state=BookingState.CONFIRMED)])
    assert reply.text.split("\n") == [
        "<b>Bilateral rooms — Tuesday, 1 December 2026</b>",
        "",
        "<b>Room B</b> (1 seat)",
        "  #12 10:00–10:30 Chile &amp; &lt;Co&gt; – Peru &lt;P&gt;: ✅ confirmed",
        "",
        "<b>Room &lt;C&gt;</b> (4 seats)",
        "  free all day",
    ]
    assert [(b.text, b.data) for row in reply.buttons for b in row] == [
        ("◀ Mon 30 Nov", "bk:2026-11-30"),
        ("Wed 2 Dec ▶", "bk:2026-12-02"),
    ]


def test_bookings_awaiting_approval_get_confirm_and_decline():
    waiting = booking(state=BookingState.APPROVAL)
    assert data(day([waiting]))[:2] == ["bl:ok:12", "bl:no:12"]
    assert [b.text for b in day([waiting])[0].buttons[0]] == ["✅ Confirm #12", "❌ Decline #12"]
    assert data(day([waiting], approval=False)) == ["bk:2026-11-30", "bk:2026-12-02"]


def test_a_booking_in_a_room_no_longer_listed_still_shows():
    (reply,) = day([booking(room="Old room")], rooms=[])
    assert "<b>Old room</b>\n  #12 10:00–10:30" in reply.text


def test_no_rooms_at_all_says_how_to_add_them():
    (reply,) = day([], rooms=[])
    assert "No bilateral rooms yet: mark rooms with kind “bilateral”" in reply.text


def test_a_busy_day_is_split_with_the_buttons_last():
    items = [
        booking(id=i, room=f"Room {i % 5}", state=BookingState.APPROVAL, requester="C" * 100)
        for i in range(60)
    ]
    replies = day(items, rooms=[(f"Room {i}", 2) for i in range(5)])
    assert len(replies) > 1
    assert_fits(replies)
    assert all(reply.buttons == () for reply in replies[:-1])
    assert len(replies[-1].buttons) == 61


def test_french_and_arabic():
    (french,) = day([booking(state=BookingState.APPROVAL)], translator=FR)
    assert "<b>Room B</b> (1 place)" in french.text and "(4 places)" in french.text
    (arabic,) = day([], translator=AR)
    assert f"<b>{isolated('Room B')}</b> (مقعد واحد)" in arabic.text


def test_decided_and_bad_date():
    assert views.decided(EN, booking(state=BookingState.CONFIRMED)).startswith(
        "Booking #12 confirmed"
    )
    assert views.decided(EN, booking(state=BookingState.DECLINED)).startswith(
        "Booking #12 declined"
    )
    assert views.bad_date(EN, "<x>").text.startswith("“&lt;x&gt;” is not a date.")


def test_conflict_lines_escape_once():
    panel = session("p", "Trade & <Tariffs>", 10)
    (line,) = views.conflict_lines(EN, [(panel, [booking(), booking(id=13, room="R&D")])])
    assert line == (
        "⚠️ Conflict: Trade &amp; &lt;Tariffs&gt; (Tue 1 Dec, 10:00–11:00) overlaps booked "
        "bilateral meetings: #12 Chile &amp; &lt;Co&gt; – Peru &lt;P&gt;, Tue 1 Dec, "
        "10:00–10:30, Room B; #13 Chile &amp; &lt;Co&gt; – Peru &lt;P&gt;, Tue 1 Dec, "
        "10:00–10:30, R&amp;D. See /bookings."
    )
    assert views.conflict_lines(EN, []) == []
