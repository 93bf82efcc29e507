from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.bilaterals import (
    BilateralRules,
    BookingState,
    Event,
    PoolRoom,
    Slot,
    SlotSearch,
    effective_state,
    merged,
    next_state,
    overlaps,
    search_days,
    slot_works,
    slots_that_work,
)

ZONE = ZoneInfo("Asia/Riyadh")
DAY = date(2030, 6, 10)
RULES = BilateralRules(
    slot_minutes=30,
    turnaround_minutes=15,
    per_delegation_per_day=2,
    hours=(time(8, 0), time(20, 0)),
    zone=ZONE,
)


def at(hhmm: str, day: date = DAY) -> int:
    hours, minutes = map(int, hhmm.split(":"))
    return int(datetime.combine(day, time(hours, minutes), ZONE).timestamp())


def hhmm(moment: int) -> str:
    return datetime.fromtimestamp(moment, ZONE).strftime("%H:%M")


SALON = PoolRoom("salon", "Salon", 4)
HALL = PoolRoom("hall", "Hall", 12)


def search(**changes: object) -> SlotSearch:
    values: dict[str, object] = {
        "rooms": [SALON, HALL],
        "room_busy": {},
        "people_busy": [],
        "day_counts": {},
        "seats": 4,
        "days": [DAY],
        "now": at("00:00"),
    }
    values.update(changes)
    return SlotSearch(**values)  # type: ignore[arg-type]


def test_first_slots_start_when_rooms_open_in_the_smallest_room_that_seats_everyone():
    found = slots_that_work(search(), RULES, limit=3)
    assert [(hhmm(s.start), hhmm(s.end), s.room) for s in found] == [
        ("08:00", "08:30", "Salon"),
        ("08:15", "08:45", "Salon"),
        ("08:30", "09:00", "Salon"),
    ]


def test_capacity_too_small_moves_to_a_bigger_room_or_nothing():
    assert slots_that_work(search(seats=6), RULES, limit=1)[0].room == "Hall"
    assert slots_that_work(search(seats=13), RULES) == []


def test_turnaround_keeps_the_room_free_before_and_after_a_meeting():
    busy = {"salon": [(at("08:00"), at("08:30"))], "hall": [(at("08:00"), at("20:00"))]}
    found = slots_that_work(search(room_busy=busy), RULES, limit=1)
    # 08:30 + 15 minutes of turnaround: the next meeting in the Salon starts 08:45.
    assert (hhmm(found[0].start), found[0].room) == ("08:45", "Salon")
    # And a meeting must end 15 minutes before the next one starts.
    busy = {"salon": [(at("09:00"), at("20:00"))], "hall": [(at("08:00"), at("20:00"))]}
    found = slots_that_work(search(room_busy=busy, now=at("08:00")), RULES)
    assert [hhmm(s.start) for s in found] == ["08:00", "08:15"]


def test_busy_participants_and_the_past_are_skipped():
    found = slots_that_work(
        search(people_busy=[(at("10:00"), at("11:00"))], now=at("09:50")), RULES, limit=2
    )
    assert [hhmm(s.start) for s in found] == ["11:00", "11:15"]


def test_hours_bound_the_slots():
    found = slots_that_work(search(now=at("19:00")), RULES, limit=10)
    assert [hhmm(s.start) for s in found] == ["19:00", "19:15", "19:30"]


def test_daily_cap_skips_the_day_for_both_delegations():
    other_day = date(2030, 6, 11)
    found = slots_that_work(search(days=[DAY, other_day], day_counts={DAY: 2}), RULES, limit=1)
    assert datetime.fromtimestamp(found[0].start, ZONE).date() == other_day
    no_cap = BilateralRules(30, 15, 0, (time(8, 0), time(20, 0)), ZONE)
    assert slots_that_work(search(day_counts={DAY: 50}), no_cap, limit=1)


def test_slot_works_rechecks_one_slot():
    slot = Slot(at("10:00"), at("10:30"), "Salon")
    assert slot_works(search(), RULES, slot)
    assert not slot_works(search(room_busy={"salon": [(at("10:40"), at("11:00"))]}), RULES, slot)
    assert not slot_works(search(people_busy=[(at("10:29"), at("10:31"))]), RULES, slot)
    assert not slot_works(search(day_counts={DAY: 2}), RULES, slot)
    assert not slot_works(search(seats=5), RULES, slot)
    assert not slot_works(search(now=at("10:01")), RULES, slot)
    assert not slot_works(search(), RULES, Slot(at("07:30"), at("08:00"), "Salon"))
    assert not slot_works(search(), RULES, Slot(at("10:00"), at("10:30"), "Nowhere"))


def test_merged_and_overlaps_use_half_open_intervals():
    busy = merged([(5, 10), (1, 3), (2, 4), (10, 12), (20, 20)])
    assert busy == [(1, 4), (5, 12)]
    assert not overlaps(busy, 12, 15)
    assert not overlaps(busy, 4, 5)
    assert overlaps(busy, 3, 6)
    assert overlaps(busy, 0, 2)
    assert overlaps(busy, 6, 7)


@pytest.mark.parametrize(
    ("state", "event", "approval", "after"),
    [
        (BookingState.PENDING, Event.ACCEPT, False, BookingState.CONFIRMED),
        (BookingState.PENDING, Event.ACCEPT, True, BookingState.APPROVAL),
        (BookingState.APPROVAL, Event.CONFIRM, True, BookingState.CONFIRMED),
        (BookingState.APPROVAL, Event.DECLINE, True, BookingState.DECLINED),
        (BookingState.PENDING, Event.DECLINE, False, BookingState.DECLINED),
        (BookingState.PENDING, Event.EXPIRE, False, BookingState.EXPIRED),
        (BookingState.CONFIRMED, Event.CANCEL, False, BookingState.CANCELLED),
        (BookingState.CONFIRMED, Event.ACCEPT, False, None),
        (BookingState.DECLINED, Event.ACCEPT, False, None),
        (BookingState.EXPIRED, Event.CANCEL, False, None),
        (BookingState.CANCELLED, Event.CANCEL, False, None),
    ],
)
def test_state_machine(state, event, approval, after):
    assert next_state(state, event, needs_approval=approval) == after


def test_holding_states_and_export_status():
    assert {s for s in BookingState if s.holds} == {
        BookingState.PENDING,
        BookingState.APPROVAL,
        BookingState.CONFIRMED,
    }
    assert BookingState.APPROVAL.export_status == "pending"
    assert effective_state(BookingState.PENDING, 100, 100) is BookingState.EXPIRED
    assert effective_state(BookingState.PENDING, 101, 100) is BookingState.PENDING
    assert effective_state(BookingState.CONFIRMED, 1, 100) is BookingState.CONFIRMED


def test_search_days_start_today_within_the_summit():
    first, last = date(2030, 6, 10), date(2030, 6, 12)
    assert search_days(first, last, date(2030, 1, 1)) == [first, date(2030, 6, 11), last]
    assert search_days(first, last, date(2030, 6, 12)) == [last]
    assert search_days(first, last, date(2030, 6, 13)) == []
