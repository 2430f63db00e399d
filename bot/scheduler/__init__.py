"""Reminders (W3): business calendar, persistent schedule, sweep, snooze, worker."""
