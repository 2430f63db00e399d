"""Submission of the custody-record modal (5(10)) — the core runs before the ack.

Problems come back as ``response_action: errors`` keyed by block id, so the person fixes
them in place; a value that looks like a password is refused there too (and stored
nowhere, logged nowhere). Success closes the modal; the saved record goes to the person
by DM through the outbox. A repeated submission of the same view is ignored.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App

from bot.custody import api as custody_api
from handlers.slack import render
from handlers.slack.dedupe import Deduper, claimed, view_submission_key
from handlers.slack.runtime import Core


def submit_custody(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], core: Core, deduper: Deduper
) -> None:
    """Save the record through the core; errors in the modal, the record to the submitter."""
    try:
        code = str(json.loads(view.get("private_metadata") or "{}").get("account", ""))
    except ValueError:
        code = ""
    key = view_submission_key(body)
    with claimed(deduper, key) as first:
        if not first:
            ack()
            return
        reply = custody_api.submit_form(
            core.factory,
            actor=core.actor(body["user"]["id"]),
            code=code,
            values=render.view_inputs(view),
            clock=core.clock,
        )
        if not reply.ok:
            deduper.release(key)  # the corrected form must go through
            present = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
            message = "\n".join(p for p in (reply.message.title, reply.message.text) if p)
            errors = render.form_errors(reply.fields, message, present, fallback=present[0])
            ack(response_action="errors", errors=errors)
            return
        ack()
    core.deliver()


def register(app: App) -> None:
    """Wire the listener."""
    app.view(render.CUSTODY_CALLBACK)(submit_custody)
