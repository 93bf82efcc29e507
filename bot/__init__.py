"""Summit Bot: a Telegram assistant for the delegates of an international summit."""

import os

# python-telegram-bot 22 warns on every `RetryAfter.retry_after` read unless the program
# opts in to the timedelta values its next major version will use; the bot handles both.
os.environ.setdefault("PTB_TIMEDELTA", "true")

__version__ = "0.1.0"
