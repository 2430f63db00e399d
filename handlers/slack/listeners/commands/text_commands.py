"""/incident and /account: text commands of the neutral router (``bot.commands``).

Without arguments each answers with its Japanese usage; the reply is ephemeral, and what
the command enqueued (an incident thread in 情報政策課's channel, a 開設届) is delivered
after the acknowledgement.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from bot.commands import run_command
from handlers.slack.errors import guarded
from handlers.slack.replies import ack_only, tell
from handlers.slack.runtime import Core

COMMANDS = ("/incident", "/account")


def run_text_command(command: dict[str, Any], respond: Respond, core: Core) -> None:
    """Run the command through the neutral router and answer ephemerally."""
    reply = run_command(
        core.factory,
        actor=core.actor(command["user_id"]),
        command=command["command"],
        text=command.get("text", ""),
        clock=core.clock,
    )
    tell(reply.message, user_id=command["user_id"], respond=respond)
    core.deliver()


def register(app: App) -> None:
    """Wire the listeners."""
    for name in COMMANDS:
        app.command(name)(ack=ack_only, lazy=[guarded(run_text_command)])
