"""Listener wiring: one listener per file, one `register(app)` per package."""

from slack_bolt import App

from handlers.slack.listeners import actions, commands, events, views


def register_listeners(app: App) -> None:
    """Register every Slack listener of the bot on ``app``."""
    commands.register(app)
    actions.register(app)
    views.register(app)
    events.register(app)
