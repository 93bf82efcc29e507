from bot.delivery.pacing import FLOOD_CHATS, Pacer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_slots_are_spaced_at_the_rate():
    clock = FakeClock()
    pacer = Pacer(10, clock=clock)
    waits = [pacer.reserve() for _ in range(5)]
    assert waits[0] == 0
    assert abs(waits[-1] - 0.4) < 1e-9


def test_one_chat_throttled_pauses_only_that_chat():
    clock = FakeClock()
    pacer = Pacer(30, clock=clock)
    pacer.throttle(chat_id=1, retry_after=5)
    assert pacer.chat_ready_at(1) == clock.now + 5
    assert pacer.chat_ready_at(2) == 0.0
    assert pacer.reserve() == 0.0  # everyone else goes on at once
    assert pacer.global_pauses == 0


def test_many_chats_throttled_at_once_pause_everything_and_slow_down():
    clock = FakeClock()
    pacer = Pacer(30, clock=clock)
    for chat in range(FLOOD_CHATS):
        pacer.throttle(chat_id=chat, retry_after=3)
    assert pacer.global_pauses == 1
    assert pacer.rate < 30
    assert pacer.reserve() >= 2.9


def test_rate_recovers_after_clean_sending():
    clock = FakeClock()
    pacer = Pacer(30, clock=clock)
    for chat in range(FLOOD_CHATS):
        pacer.throttle(chat_id=chat, retry_after=1)
    slowed = pacer.rate
    clock.now += 600
    for _ in range(200):
        pacer.reserve()
        clock.now += 5
    assert slowed < pacer.rate <= 30


def test_per_chat_spacing():
    clock = FakeClock()
    pacer = Pacer(30, clock=clock)
    pacer.note_sent(7)
    assert pacer.chat_ready_at(7) == clock.now + 1.0
