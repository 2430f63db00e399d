"""Events API listeners: one module per event type."""

from slack_bolt import App

from handlers.slack.listeners.events import app_home_opened


def register(app: App) -> None:
    """Register the event listeners."""
    app_home_opened.register(app)
