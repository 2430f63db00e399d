"""/draft: open the draft form (a modal) with the accounts the user may post for.

The form opens first (the trigger_id lives 3 seconds); text typed after the command
prefills the body. Unregistered users and users without accounts get an ephemeral reason.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.commands import draft_form
from handlers.slack import render
from handlers.slack.errors import guarded
from handlers.slack.replies import ack_only, tell
from handlers.slack.runtime import Core


def open_draft_form(
    command: dict[str, Any], client: WebClient, respond: Respond, core: Core
) -> None:
    """views.open the draft modal, or explain why the user cannot draft."""
    result = draft_form(core.factory, actor=core.actor(command["user_id"]))
    if result.form is None:
        assert result.refusal is not None
        tell(result.refusal.message, user_id=command["user_id"], respond=respond)
        return
    view = render.draft_modal(result.form, initial_text=(command.get("text") or "").strip() or None)
    client.views_open(trigger_id=command["trigger_id"], view=view)


def register(app: App) -> None:
    """Wire the listener."""
    app.command("/draft")(ack=ack_only, lazy=[guarded(open_draft_form)])
