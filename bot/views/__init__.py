"""What the bot says: domain values in, translated HTML text and buttons out.

Views know nothing of Telegram's objects or the database; they return `Reply` values
that `bot.telegram.sending` sends. Every string goes through the delegate's Translator.
"""
