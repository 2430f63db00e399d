"""/incident, /account and /custody: text commands of the neutral router (``bot.commands``).

``/account new`` and ``/incident`` with its type, account or summary missing open a form
(``bot.forms.form_for``): the modal opens first (the trigger_id lives 3 seconds). Other
command lines run as text; the reply is ephemeral, and what the command enqueued (an
incident thread in 情報政策課's channel, a 開設届) is delivered after the acknowledgement.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot import forms
from bot.commands import run_command
from handlers.slack import render
from handlers.slack.errors import guarded
from handlers.slack.replies import ack_only, tell
from handlers.slack.runtime import Core

COMMANDS = ("/incident", "/account", "/custody")


def _open_form(
    request: forms.FormRequest,
    command: dict[str, Any],
    client: WebClient,
    respond: Respond,
    core: Core,
) -> None:
    actor = core.actor(command["user_id"])
    if request.form == forms.ACCOUNT_FORM:
        offered = forms.account_form(core.factory, actor=actor)
        view = render.account_modal(offered.values, offered.terms) if offered.ok else None
    else:
        offered = forms.incident_form(core.factory, actor=actor, values=request.values)
        view = render.incident_modal(offered.incident) if offered.incident else None
    if view is None:
        assert offered.refusal is not None
        tell(offered.refusal.message, user_id=command["user_id"], respond=respond)
        return
    client.views_open(trigger_id=command["trigger_id"], view=view)


def run_text_command(
    command: dict[str, Any], client: WebClient, respond: Respond, core: Core
) -> None:
    """Open the command's form, or run it through the neutral router and answer ephemerally."""
    text = command.get("text", "")
    request = forms.form_for(command["command"], text)
    if request is not None:
        _open_form(request, command, client, respond, core)
        return
    reply = run_command(
        core.factory,
        actor=core.actor(command["user_id"]),
        command=command["command"],
        text=text,
        clock=core.clock,
    )
    tell(reply.message, user_id=command["user_id"], respond=respond)
    core.deliver()


def register(app: App) -> None:
    """Wire the listeners."""
    for name in COMMANDS:
        app.command(name)(ack=ack_only, lazy=[guarded(run_text_command)])
