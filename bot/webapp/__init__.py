"""The Mini App: a page for delegates and an organizer console, served by the bot."""
