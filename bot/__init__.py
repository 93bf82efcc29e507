"""Summit Bot: a Telegram assistant for the delegates of an international summit."""

__version__ = "0.1.0"
