"""Submission of the /account new and /incident forms — the core runs before the ack.

Problems come back as ``response_action: errors`` keyed by block id (the form's field
names), so the person corrects them in place; success closes the modal and the receipt
(the account registered; for an incident, its notice with the thread) is queued to
them in the outbox in the same transaction, so a refused DM is re-sent later. A
repeated submission of the same values is acknowledged and ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot import forms
from bot.interaction import Reply
from handlers.slack import render
from handlers.slack.dedupe import Deduper, claimed, view_submission_key
from handlers.slack.runtime import Core

Submit = Callable[..., Reply]
_SUBMITS: dict[str, tuple[Submit, str]] = {
    render.ACCOUNT_CALLBACK: (forms.submit_account_form, "code"),
    render.INCIDENT_CALLBACK: (forms.submit_incident_form, "type"),
}


def submit_form(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    core: Core,
    deduper: Deduper,
) -> None:
    """Run the form through the core; errors in the modal, the receipt to the submitter."""
    user_id = body["user"]["id"]
    submit, fallback = _SUBMITS[view["callback_id"]]
    key = view_submission_key(body)
    with claimed(deduper, key) as first:
        if not first:
            ack()
            return
        reply = submit(
            core.factory,
            actor=core.actor(user_id),
            values=render.view_inputs(view),
            clock=core.clock,
            receipt=True,  # the modal closes: the receipt goes by DM through the outbox
        )
        if not reply.ok:
            deduper.release(key)  # the corrected form must go through
            present = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
            message = "\n".join(p for p in (reply.message.title, reply.message.text) if p)
            errors = render.form_errors(
                reply.fields,
                message,
                present,
                fallback=fallback if fallback in present else present[0],
            )
            ack(response_action="errors", errors=errors)
            return
        ack()
    core.deliver()


def register(app: App) -> None:
    """Wire the listener for both forms."""
    for callback_id in _SUBMITS:
        app.view(callback_id)(submit_form)
