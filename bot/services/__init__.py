"""What happens: programme changes and imports, notices, reminders and digests, broadcasts,
bilaterals, scheduling, the schedule source, exports and checks.

Services speak to storage and the domain; they know nothing of handlers or views, and take
the moment they act at from the injected clock (`bot.clock`).
"""
