"""Block actions (buttons, selects): one module per action_id family."""

from slack_bolt import App

from handlers.slack.listeners.actions import core_buttons, link_button


def register(app: App) -> None:
    """Register the block-action listeners."""
    link_button.register(app)
    core_buttons.register(app)
