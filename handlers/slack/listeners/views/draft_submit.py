"""Submission of the draft form (new draft or revision): check, store, route — before the ack.

Slack shows problems next to the fields only in the answer to the submission itself, so
the core call runs before ``ack``: validation errors and blocking findings (clause and
words, with room for a false-positive statement) come back as ``response_action: errors``
keyed by block id; success closes the modal and the receipt arrives as a DM, queued in
the outbox in the same transaction (kept and re-sent if Slack refuses it). A repeated
submission of the same values is acknowledged and ignored (``dedupe.claimed``).

Slack waits 3 seconds for that answer. The check of a long draft on a busy process can take
longer (``benchmarks/bench_slack_ack.py``, scenario ``worst``), so the core call runs on a
pool of its own and the listener waits at most ``ACK_BUDGET_SECONDS``: past that, the
modal is answered with a "checking" notice (``response_action: update``) and, when the
core call ends, ``views.update`` shows the outcome in the same modal: the receipt notice,
or the form again with the text as written and the problems above it. If the modal was
closed meanwhile, the problems and the text go to the author by DM through the outbox, so
nothing typed is lost.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.commands import DraftInput, draft_form, submit_draft_form
from bot.directory.models import Person
from bot.errors import UNAVAILABLE_MESSAGE, is_unavailable
from bot.interaction import Reply, as_person
from bot.notify.service import enqueue
from handlers.slack import errors, render
from handlers.slack.dedupe import Deduper, claimed, view_submission_key
from handlers.slack.runtime import Core

logger = logging.getLogger(__name__)

#: How long the listener waits for the check before answering Slack, which allows 3 s
#: for the whole round trip (the rest is verification, authorisation and the network).
ACK_BUDGET_SECONDS = 2.0
# The core calls of submissions, so that the ack thread can answer in time. Bounded: more
# submissions than this at once queue here (each still answered within the budget).
_CHECKS = ThreadPoolExecutor(8, thread_name_prefix="slack-draft-check")

CHECKING_TITLE = "内容を確認しています"
CHECKING_TEXT = (
    "内容チェックに時間がかかっています。この画面を開いたままお待ちください。"
    "結果はこの画面に表示します（閉じた場合はボットからのメッセージでお知らせします）。"
)
ACCEPTED_TITLE = "送信しました"
ACCEPTED_TEXT = "受け付けました。受付の内容はボットからのメッセージでお送りしました。"


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


def _errors(reply: Reply, view: dict[str, Any]) -> dict[str, str]:
    """The reply's problems keyed by the block ids the submitted form has."""
    present = [b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"]
    present = present or list(render.DRAFT_BLOCKS)
    fallback = "account" if "account" in present else "text"
    return render.form_errors(reply.fields, reply.message.title, present, fallback=fallback)


def submit_draft(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
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
        pending = _CHECKS.submit(
            submit_draft_form,
            core.factory,
            actor=core.actor(user_id),
            form=form,
            draft_id=draft_id,
            clock=core.clock,
            receipt=True,  # the modal closes: the receipt goes by DM through the outbox
        )
        try:
            reply = pending.result(timeout=ACK_BUDGET_SECONDS)
        except FutureTimeout:
            ack(
                response_action="update",
                view=render.notice_modal(CHECKING_TITLE, CHECKING_TEXT),
            )
            try:
                reply = pending.result()
            except Exception as exc:
                # The HTTP answer is gone, so Bolt's error handler can no longer reach the
                # modal: say it here, with the error id, and let the same values be sent again.
                deduper.release(key)
                _show_failure(client, view, body, exc, text=form.text)
                return
            if not reply.ok:
                deduper.release(key)
            _show_late(
                client, core, view, user_id=user_id, form=form, draft_id=draft_id, reply=reply
            )
            core.deliver()
            return
        if not reply.ok:
            deduper.release(key)  # the corrected form must go through
            ack(response_action="errors", errors=_errors(reply, view))
            return
        ack()
    core.deliver()


def _show_failure(
    client: WebClient, view: dict[str, Any], body: dict[str, Any], exc: Exception, *, text: str
) -> None:
    """A core call that failed after the "checking" notice: the error view in the modal,
    with the text as typed below it (the form it was typed in is gone), to copy and resend."""
    error_id = errors.new_error_id()
    errors.log_error(exc, body, error_id=error_id)
    template = UNAVAILABLE_MESSAGE if is_unavailable(exc) else errors.USER_MESSAGE
    shown = errors.error_view(error_id, text=template.format(error_id=error_id))
    if text:
        shown["blocks"].append(
            render.problems_section("入力した文章（送り直す際にお使いください）", text)
        )
    try:
        client.views_update(view_id=view.get("id") or "", view=shown)
    except SlackApiError:
        logger.warning("draft form failure not shown in the modal error_id=%s", error_id)


def _show_late(
    client: WebClient,
    core: Core,
    view: dict[str, Any],
    *,
    user_id: str,
    form: DraftInput,
    draft_id: int | None,
    reply: Reply,
) -> None:
    """The outcome of a submission answered with the "checking" notice, in the same modal."""
    view_id = view.get("id")
    if reply.ok:
        shown = render.notice_modal(ACCEPTED_TITLE, ACCEPTED_TEXT)
    else:
        shown = _form_again(core, view, user_id=user_id, form=form, draft_id=draft_id, reply=reply)
    if view_id:
        try:
            client.views_update(view_id=view_id, view=shown)
            return
        except SlackApiError as exc:
            logger.info("draft form outcome not shown in the modal: %s", type(exc).__name__)
    # The modal was closed (or Slack refused): the receipt is already in the outbox; the
    # problems and the text go there too, so that what was typed is not lost.
    if not reply.ok:
        message = replace(reply.message, quote=form.text or None)

        def queue(session: Session, person: Person) -> None:
            enqueue(session, message=message, to_person=person, clock=core.clock)

        as_person(core.factory, core.actor(user_id), queue, refused=lambda _r: None)


def _form_again(
    core: Core,
    view: dict[str, Any],
    *,
    user_id: str,
    form: DraftInput,
    draft_id: int | None,
    reply: Reply,
) -> dict[str, Any]:
    """The draft form with what was submitted filled in and the problems above it."""
    offered = draft_form(core.factory, actor=core.actor(user_id), draft_id=draft_id)
    if offered.form is None:
        assert offered.refusal is not None
        return render.notice_modal("送信できませんでした", offered.refusal.message.title)
    filled = replace(
        offered.form,
        values={
            **offered.form.values,
            "text": form.text,
            "planned_at": form.planned_at,
            "exemption": form.exemption,
            "evidence": form.evidence,
            "photo": form.photo,
        },
    )
    modal = render.draft_modal(filled)
    problems = "\n".join(f"・{v}" for v in _errors(reply, view).values())
    modal["blocks"].insert(0, render.problems_section(reply.message.title, problems))
    return modal


def register(app: App) -> None:
    """Wire the listener for both the new-draft and the revision form."""
    app.view(render.DRAFT_CALLBACK)(submit_draft)
    app.view(render.DRAFT_EDIT_CALLBACK)(submit_draft)
