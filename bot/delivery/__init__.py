"""Pushed messages: the persistent outbox, the rate-aware sender, broadcasts.

Every message the bot pushes (broadcast, urgent notice, programme change, reminder,
digest) is first a row in the `outbox` table, written in the same transaction as the
change that caused it. One `DeliveryWorker` sends them in priority order as fast as
Telegram allows. That one path gives crash safety, rate limiting and delivery reports.
"""
