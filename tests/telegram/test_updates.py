import asyncio

from telegram import Chat, Message, Update, User

from bot.telegram.updates import PerUserUpdateProcessor


def update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, "private")
    from datetime import UTC, datetime

    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="x")
    return Update(update_id, message=message)


async def test_one_users_updates_run_in_order_while_others_overlap():
    processor = PerUserUpdateProcessor(16)
    log: list[tuple[str, int, int]] = []

    async def handle(user: int, n: int, delay: float) -> None:
        log.append(("start", user, n))
        await asyncio.sleep(delay)
        log.append(("end", user, n))

    jobs = [
        processor.process_update(update(1, 7), handle(7, 1, 0.05)),
        processor.process_update(update(2, 7), handle(7, 2, 0.0)),
        processor.process_update(update(3, 8), handle(8, 1, 0.0)),
    ]
    await asyncio.gather(*jobs)
    seven = [entry for entry in log if entry[1] == 7]
    assert seven == [("start", 7, 1), ("end", 7, 1), ("start", 7, 2), ("end", 7, 2)]
    # user 8 did not wait for user 7's slow update
    assert log.index(("end", 8, 1)) < log.index(("end", 7, 1))
    assert processor._queues == {}
