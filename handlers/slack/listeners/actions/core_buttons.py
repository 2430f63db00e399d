"""Every button the core puts on a message (draft., report., incident., account., reminder.,
custody., handover.).

A button whose action needs input first (``bot.actions.PROMPTS``: a reason, a URL) opens
that form; ``draft.edit`` opens the draft form prefilled, ``custody.edit`` the custody
record form; any other runs at once through
``bot.actions.run_action``. The clicker sees the outcome ephemerally (a refusal such as a
non-approver clicking 承認 changes nothing); messages to others go through the outbox,
including the in-place update of the message that carried the button.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.actions import PROMPTS, incident_thread, run_action
from bot.commands import draft_form
from bot.custody import api as custody_api
from bot.interaction import Reply
from handlers.slack import render
from handlers.slack.errors import guarded
from handlers.slack.replies import ack_only, tell
from handlers.slack.runtime import Core

logger = logging.getLogger("handlers.slack.buttons")
CORE_ACTION_ID = re.compile(r"^(draft|report|incident|account|reminder|custody|handover)\.")


def _channel_id(body: dict[str, Any]) -> str | None:
    channel = body.get("channel") or {}
    return channel.get("id") or (body.get("container") or {}).get("channel_id")


def run_button(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, core: Core
) -> None:
    """Open the action's form, or run it and tell the clicker the outcome."""
    user_id = body["user"]["id"]
    action_id = render.action_id_of(action["action_id"])
    value = render.decode_value(action.get("value"))
    actor = core.actor(user_id)
    channel_id = _channel_id(body)
    draft_id = _int(value.get("draft_id"))
    if action_id == "draft.edit" and draft_id is not None:
        result = draft_form(core.factory, actor=actor, draft_id=draft_id)
        if result.form is None:
            assert result.refusal is not None
            tell(result.refusal.message, user_id=user_id, respond=respond, client=client)
            return
        client.views_open(trigger_id=body["trigger_id"], view=render.draft_modal(result.form))
        return
    if action_id == "custody.edit":
        offered = custody_api.form(
            core.factory, actor=actor, code=str(value.get("account", "")), clock=core.clock
        )
        if isinstance(offered, Reply):
            tell(offered.message, user_id=user_id, respond=respond, client=client)
            return
        client.views_open(trigger_id=body["trigger_id"], view=render.custody_modal(offered))
        return
    prompt = PROMPTS.get(action_id)
    if prompt is not None:
        metadata = {"value": value, "channel": channel_id}
        if len(json.dumps(metadata)) > 2500:  # ids only; never expected to be this long
            metadata = {"value": value}
        view = render.prompt_modal(prompt, action_id=action_id, metadata=metadata)
        client.views_open(trigger_id=body["trigger_id"], view=view)
        return
    reply = run_action(
        core.factory, actor=actor, action_id=action_id, value=value, clock=core.clock
    )
    message = reply.message
    incident_id = _int(value.get("incident_id"))
    if action_id == "incident.open_thread" and reply.ok and incident_id is not None:
        link = _thread_link(client, core, incident_id)
        message = replace(
            message,
            text=f"スレッドを開く: {link}"
            if link
            else "スレッドはまだ投稿されていません。少し待ってからもう一度お試しください。",
        )
    tell(message, user_id=user_id, respond=respond, client=client, channel_id=channel_id)
    core.deliver()


def _thread_link(client: WebClient, core: Core, incident_id: int) -> str | None:
    """The permalink of an incident's thread root (None until Slack has it)."""
    ref = incident_thread(core.factory, incident_id=incident_id)
    if ref is None or ref.platform != "slack":
        return None
    try:
        answer = client.chat_getPermalink(channel=ref.channel, message_ts=ref.message_id)
    except SlackApiError as exc:
        logger.warning("chat.getPermalink failed: %s", exc.response.get("error"))
        return None
    link = answer.get("permalink")
    return link if isinstance(link, str) else None


def _int(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def register(app: App) -> None:
    """Wire the listener."""
    app.action(CORE_ACTION_ID)(ack=ack_only, lazy=[guarded(run_button)])
