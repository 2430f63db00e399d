"""Submission of an action's form (a reason for 却下 / 差し戻し, a URL for 投稿しました…).

``private_metadata`` carries the action id and the button's ids only. The action runs
before the ack so that a refusal (not the approver, already decided, missing reason) is
shown in the form; on success the modal closes, the clicker is told, and the outbox sends
the rest (the approval DM updated in place, the author notified).
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.actions import run_action
from handlers.slack import render
from handlers.slack.dedupe import Deduper, claimed, view_submission_key
from handlers.slack.replies import tell
from handlers.slack.runtime import Core


def _inputs(view: dict[str, Any]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for block, elements in ((view.get("state") or {}).get("values") or {}).items():
        for element in elements.values():
            if element.get("selected_option"):
                inputs[block] = element["selected_option"].get("value") or ""
            elif element.get("value") is not None:
                inputs[block] = element["value"]
    return inputs


def submit_prompt(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    core: Core,
    deduper: Deduper,
) -> None:
    """Run the action with the answers; refusals are shown in the form."""
    user_id = body["user"]["id"]
    metadata = json.loads(view.get("private_metadata") or "{}")
    key = view_submission_key(body)
    with claimed(deduper, key) as first:
        if not first:
            ack()
            return
        reply = run_action(
            core.factory,
            actor=core.actor(user_id),
            action_id=str(metadata.get("action_id", "")),
            value=metadata.get("value") or {},
            inputs=_inputs(view),
            clock=core.clock,
        )
        if not reply.ok:
            deduper.release(key)
            present = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
            if present:
                fields = {k: v for k, v in reply.fields.items() if k in present}
                errors = render.form_errors(
                    fields, reply.message.title, present, fallback=present[0]
                )
                ack(response_action="errors", errors=errors)
            else:
                ack(
                    response_action="update",
                    view=render.notice_modal("操作できません", reply.message.title),
                )
            return
        ack()
    tell(reply.message, user_id=user_id, client=client, channel_id=metadata.get("channel"))
    core.deliver()


def register(app: App) -> None:
    """Wire the listener."""
    app.view(render.PROMPT_CALLBACK)(submit_prompt)
