"""The governor's budget by numbers alone: no loop, no waiting, `now` given."""

from bot.telegram.budget import COUNTED, Bucket, Budget, Counted, GovernorStats, Priority


def budget(rate: float = 10.0, **kwargs: float) -> Budget:
    return Budget(rate, 0.0, GovernorStats(), **kwargs)


def test_a_bucket_refills_at_its_rate_up_to_its_capacity():
    bucket = Bucket(rate=2.0, capacity=3.0, now=0.0)
    for _ in range(3):
        assert bucket.wait(0.0) == 0.0
        bucket.take()
    assert bucket.wait(0.0) == 0.5
    assert bucket.wait(0.25) == 0.25
    assert not bucket.full(1.0) and bucket.full(1.5)


def test_the_global_burst_is_a_tenth_of_a_seconds_worth():
    b = budget(rate=40.0)
    taken = [b.try_take(Priority.REPLY, None, 0.0) for _ in range(5)]
    assert taken[:4] == [0.0] * 4 and taken[4] > 0
    assert b.stats.sent == 4


def test_pushes_leave_a_reserve_for_replies():
    b = budget(rate=40.0)  # four tokens, one kept for replies
    assert [b.try_take(Priority.BULK, None, 0.0) for _ in range(3)] == [0.0] * 3
    assert b.try_take(Priority.BULK, None, 0.0) > 0
    assert b.try_take(Priority.REPLY, None, 0.0) == 0.0


def test_a_private_chat_and_a_group_have_their_own_pace():
    b = budget(rate=1000.0)
    for _ in range(3):
        b.try_take(Priority.REPLY, 7, 0.0)
    assert b.chat_wait(7, 0.0) == 1.0  # one a second after a burst of three
    for _ in range(3):
        b.try_take(Priority.REPLY, -100, 0.0)
    assert b.chat_wait(-100, 0.0) == 3.0  # 20 a minute
    assert b.chat_wait(8, 0.0) == 0.0


def test_a_429_closes_the_chat_and_the_whole_bot_until_the_window_ends():
    b = budget()
    b.throttled(5, 2.0, now=1.0)
    assert b.ready_at(5, 1.0) == 3.0
    assert b.ready_at(6, 1.0) == 3.0
    assert b.try_take(Priority.REPLY, 6, 1.0) == 2.0
    assert not b.admit(6, 2.9) and b.admit(6, 3.0)
    assert (b.stats.throttled, b.stats.global_pauses) == (1, 1)
    b.throttled(None, 1.0, now=1.5)  # inside the first window: no new pause
    assert (b.stats.throttled, b.stats.global_pauses) == (2, 1)


def test_a_webhook_reply_is_admitted_only_with_both_tokens_free():
    b = budget(rate=10.0, per_chat_burst=1.0)
    assert b.admit(3, 0.0)
    assert not b.admit(3, 0.0)
    assert not b.admit(4, 0.0)  # the global bucket holds one token at 10/s
    assert b.admit(4, 0.1)


def test_messages_count_against_a_chat_answers_only_globally_reads_not_at_all():
    assert COUNTED["sendMessage"] is Counted.CHAT
    assert COUNTED["editMessageText"] is Counted.CHAT
    assert COUNTED["answerCallbackQuery"] is Counted.GLOBAL
    assert "getFile" not in COUNTED and "getMe" not in COUNTED
