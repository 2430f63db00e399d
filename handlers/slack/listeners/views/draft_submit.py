"""Submission of the draft form (new draft or revision): check, store, route — before the ack.

Slack shows problems next to the fields only in the answer to the submission itself, so
the core call runs before ``ack``: validation errors and blocking findings (clause and
words, with room for a false-positive statement) come back as ``response_action: errors``
keyed by block id; success closes the modal and the receipt arrives as a DM, queued in
the outbox in the same transaction (kept and re-sent if Slack refuses it). A repeated
submission of the same values is acknowledged and ignored (``dedupe.claimed``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App

from bot.commands import DraftInput, submit_draft_form
from handlers.slack import render
from handlers.slack.dedupe import Deduper, claimed, view_submission_key
from handlers.slack.runtime import Core


def _value(values: dict[str, Any], block: str) -> Any:
    element = (values.get(block) or {}).get(block) or {}
    if "selected_option" in element:
        return (element.get("selected_option") or {}).get("value")
    if "selected_date_time" in element:
        return element.get("selected_date_time")
    return element.get("value")


def parse_draft_view(view: dict[str, Any]) -> tuple[DraftInput, int | None]:
    """The submitted form as the neutral DraftInput, and the draft id when revising."""
    values = (view.get("state") or {}).get("values") or {}
    planned = _value(values, "planned_at")
    metadata = json.loads(view.get("private_metadata") or "{}") or {}
    draft_id = metadata.get("draft_id")
    form = DraftInput(
        account=_value(values, "account") or "",
        text=_value(values, "text") or "",
        planned_at=datetime.fromtimestamp(int(planned), tz=UTC) if planned else None,
        exemption=_value(values, "exemption") or "none",
        evidence=_value(values, "evidence"),
        photo=_value(values, "photo") or "none",
        false_positive_reason=_value(values, "false_positive_reason"),
    )
    return form, int(draft_id) if draft_id is not None else None


def submit_draft(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    core: Core,
    deduper: Deduper,
) -> None:
    """Run the submission through the core; errors in the modal, receipt by DM."""
    user_id = body["user"]["id"]
    key = view_submission_key(body)
    with claimed(deduper, key) as first:
        if not first:
            ack()  # the same submission again (double click): already handled
            return
        form, draft_id = parse_draft_view(view)
        reply = submit_draft_form(
            core.factory,
            actor=core.actor(user_id),
            form=form,
            draft_id=draft_id,
            clock=core.clock,
            receipt=True,  # the modal closes: the receipt goes by DM through the outbox
        )
        if not reply.ok:
            deduper.release(key)  # the corrected form must go through
            present = [
                b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"
            ]
            present = present or list(render.DRAFT_BLOCKS)
            fallback = "account" if "account" in present else "text"
            errors = render.form_errors(
                reply.fields, reply.message.title, present, fallback=fallback
            )
            ack(response_action="errors", errors=errors)
            return
        ack()
    core.deliver()


def register(app: App) -> None:
    """Wire the listener for both the new-draft and the revision form."""
    app.view(render.DRAFT_CALLBACK)(submit_draft)
    app.view(render.DRAFT_EDIT_CALLBACK)(submit_draft)
