"""Telling the person who acted: ephemeral where Slack allows it, else a DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.notify.messages import OutMessage
from handlers.slack import render

logger = logging.getLogger("handlers.slack.replies")


def ack_only(ack: Ack) -> None:
    """Acknowledge at once; the lazy listener does the work."""
    ack()


def tell(
    message: OutMessage,
    *,
    user_id: str,
    respond: Respond | None = None,
    client: WebClient | None = None,
    channel_id: str | None = None,
) -> None:
    """Show ``message`` to ``user_id`` only: response_url, else an ephemeral, else a DM."""
    payload: dict[str, Any] = render.message(message)
    if respond is not None and respond.response_url:
        respond(response_type="ephemeral", replace_original=False, **payload)
        return
    if client is None:
        return
    if channel_id is not None and not channel_id.startswith("D"):
        client.chat_postEphemeral(channel=channel_id, user=user_id, **payload)
        return
    client.chat_postMessage(channel=user_id, **payload)
