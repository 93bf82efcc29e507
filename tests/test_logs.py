import io
import logging

from bot.config import LoggingSettings
from bot.logs import configure_logging

TOKEN = "123456:SECRET-token-value"


def test_the_token_never_reaches_the_log():
    stream = io.StringIO()
    configure_logging(LoggingSettings(level="DEBUG"), TOKEN, stream=stream)
    try:
        logging.getLogger("anything").info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage")
        except RuntimeError:
            logging.getLogger("anything").exception("boom")
        logging.getLogger("httpx").info("HTTP Request: POST .../bot%s/getUpdates", TOKEN)
    finally:
        logging.getLogger().handlers.clear()
    text = stream.getvalue()
    assert "SECRET" not in text
    assert "<token>" in text
    assert "HTTP Request" not in text  # httpx stays at WARNING


def test_json_format_is_one_object_per_line():
    import json

    stream = io.StringIO()
    configure_logging(LoggingSettings(level="INFO", format="json"), TOKEN, stream=stream)
    try:
        logging.getLogger("x").warning("hello %s", "world")
    finally:
        logging.getLogger().handlers.clear()
    entry = json.loads(stream.getvalue().strip())
    assert entry["message"] == "hello world" and entry["level"] == "WARNING"
