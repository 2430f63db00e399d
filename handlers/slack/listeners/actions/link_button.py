"""Buttons that only open a URL (action_id "link:…") still send block_actions; ack them."""

import re

from slack_bolt import Ack, App

LINK_ACTION_ID = re.compile(r"^link:")


def ack_link_button(ack: Ack) -> None:
    """Acknowledge, so Slack shows no warning icon next to a link button."""
    ack()


def register(app: App) -> None:
    """Wire the listener."""
    app.action(LINK_ACTION_ID)(ack_link_button)
