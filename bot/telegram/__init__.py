"""The Telegram edge: the application and its lifecycle, the handler context, sending,
updates, the webhook, the HTTP pools, and the governor every Bot API call passes.

Pushed messages are first rows in the `outbox` table (`bot.storage.outbox`), written in the
same transaction as the change that caused them; one `DeliveryWorker` (`delivery_worker`)
sends them in priority order through the governor, as fast as Telegram allows. That one
path gives crash safety, rate limiting and delivery reports.
"""
