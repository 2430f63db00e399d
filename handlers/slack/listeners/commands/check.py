"""/check: the content check, ephemerally; nothing is stored (W6, section 7 reminders)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from bot.commands import run_command
from handlers.slack.errors import guarded
from handlers.slack.replies import ack_only, tell
from handlers.slack.runtime import Core


def run_check(command: dict[str, Any], respond: Respond, core: Core) -> None:
    """Check the text and answer only the person who asked."""
    reply = run_command(
        core.factory,
        actor=core.actor(command["user_id"]),
        command="/check",
        text=command.get("text", ""),
        clock=core.clock,
    )
    tell(reply.message, user_id=command["user_id"], respond=respond)


def register(app: App) -> None:
    """Wire the listener."""
    app.command("/check")(ack=ack_only, lazy=[guarded(run_check)])
