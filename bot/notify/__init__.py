"""Notifications: neutral messages, the Notifier port, and the transactional outbox."""
