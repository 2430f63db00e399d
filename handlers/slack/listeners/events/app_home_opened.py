"""App Home: publish the home tab when a user opens it."""

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from handlers.slack.render import home_view


def publish_home(event: dict[str, Any], client: WebClient) -> None:
    """Publish the home tab for the user who opened it (the Messages tab is left alone)."""
    if event.get("tab", "home") != "home":
        return
    client.views_publish(user_id=event["user"], view=home_view())


def register(app: App) -> None:
    """Wire the listener."""
    app.event("app_home_opened")(publish_home)
