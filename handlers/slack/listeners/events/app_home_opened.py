"""App Home: publish the home tab when a user opens it (my drafts, what waits for me, the
custody records and handovers I may act on)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import forms as neutral_forms
from bot.custody import api as custody_api
from bot.drafts import api as drafts_api
from handlers.slack.render import home_view
from handlers.slack.runtime import Core


def build_home(user_id: str, core: Core | None) -> dict:
    """The home view for ``user_id``: their drafts and overdue reports, then their inbox."""
    if core is None:
        return home_view()
    actor = core.actor(user_id)
    mine = drafts_api.my_drafts(core.factory, actor=actor, clock=core.clock)
    terms = neutral_forms.terms_in_force(core.factory)
    if not mine.ok:  # not in the directory: say so, keep the guide
        return home_view(notice=mine.message.title, terms=terms)
    waiting = drafts_api.inbox(core.factory, actor=actor, clock=core.clock)
    custody = custody_api.home(core.factory, actor=actor, clock=core.clock)
    return home_view(
        [mine.message, waiting.message],
        cards=[*custody.handovers, *custody.records],
        terms=terms,
    )


def publish_home(event: dict[str, Any], client: WebClient, core: Core | None) -> None:
    """Publish the home tab for the user who opened it (the Messages tab is left alone)."""
    if event.get("tab", "home") != "home":
        return
    client.views_publish(user_id=event["user"], view=build_home(event["user"], core))


def register(app: App) -> None:
    """Wire the listener."""
    app.event("app_home_opened")(publish_home)
