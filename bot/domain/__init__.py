"""Pure rules of the summit: values, visibility, agendas.

No Telegram, no SQL, no user-facing text.
"""
