"""sendPhoto, sendVenue and sendLocation: a real PTB Bot against the emulator."""

import io

import pytest
from PIL import Image
from telegram import InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.sandbox.emulator import TelegramEmulator


async def chat(emulator: TelegramEmulator) -> int:
    user = emulator.user(1001, first_name="Amina")
    await user.send("/start")
    return user.user_id


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


async def test_a_photo_upload_then_its_file_id(emulator, bot):
    chat_id = await chat(emulator)
    data = png(300, 200)
    first = await bot.send_photo(
        chat_id, InputFile(data, filename="map.png"), caption="<b>Diwan</b>",
        parse_mode=ParseMode.HTML,
    )  # fmt: skip
    size = first.photo[-1]
    assert (size.width, size.height) == (300, 200) and first.caption == "Diwan"
    again = await bot.send_photo(chat_id, size.file_id, caption="again")
    assert again.photo[-1].file_id == size.file_id
    assert len(emulator.media.uploads) == 1
    seen = emulator.user(chat_id).messages
    assert [m.photo.content for m in seen] == [data, data]
    assert seen[0].text == "Diwan"


@pytest.mark.parametrize(
    ("photo", "error"),
    [
        (png(9000, 1001), "PHOTO_INVALID_DIMENSIONS"),
        (png(2100, 100), "PHOTO_INVALID_DIMENSIONS"),
        (b"not an image at all", "IMAGE_PROCESS_FAILED"),
        (b"\x89PNG" + bytes(10 * 1024 * 1024), "PHOTO_SAVE_FILE_INVALID"),
    ],
)
async def test_photos_telegram_refuses(emulator, bot, photo, error):
    chat_id = await chat(emulator)
    with pytest.raises(BadRequest, match=rf"(?i){error}"):
        await bot.send_photo(chat_id, InputFile(photo, filename="x.png"))
    assert emulator.media.uploads == []


async def test_a_long_caption_and_an_unknown_file_id_are_refused(emulator, bot):
    chat_id = await chat(emulator)
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(chat_id, InputFile(png(10, 10), filename="x.png"), caption="x" * 1025)
    # Entities do not count: 1,024 characters of text inside tags fit.
    await bot.send_photo(
        chat_id, InputFile(png(10, 10), filename="x.png"), caption=f"<b>{'x' * 1024}</b>",
        parse_mode=ParseMode.HTML,
    )  # fmt: skip
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(chat_id, "AgACAgIAAxkDAAInothing")


async def test_venue_and_location(emulator, bot):
    chat_id = await chat(emulator)
    sent = await bot.send_venue(chat_id, 24.7136, 46.6753, "Main Building", "1 Summit Avenue")
    assert sent.venue.title == "Main Building" and sent.location.latitude == 24.7136
    await bot.send_location(chat_id, -33.9, 151.2)
    venue, location = emulator.user(chat_id).messages
    assert (venue.venue.title, venue.venue.address) == ("Main Building", "1 Summit Avenue")
    assert location.location is not None and location.venue is None
    with pytest.raises(BadRequest, match=r"(?i)latitude must be between -90 and 90"):
        await bot.send_location(chat_id, 90.5, 0)
    with pytest.raises(BadRequest, match=r"(?i)longitude must be between -180 and 180"):
        await bot.send_venue(chat_id, 1, 180.5, "T", "A")
    with pytest.raises(BadRequest, match=r"(?i)address is empty"):
        await bot.send_venue(chat_id, 1, 1, "T", " ")
