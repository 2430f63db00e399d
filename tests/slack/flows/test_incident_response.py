"""The 起案 button of an incident thread stores the response post exactly as written (Slack).

Signed requests to the real Bolt app; the modal is the one the button opened, submitted with
leading and trailing spaces, full-width spaces and newlines around and inside the text.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.drafts.models import DraftVersion
from bot.incidents.models import IncidentDraft
from tests.slack.flows.conftest import (
    INFO_POLICY_CHANNEL,
    SLACK_IDS,
    buttons,
    click,
    submit_view,
    wait_dms,
)

AUTHOR = SLACK_IDS["sato"]
BODY = "  \n先日の投稿で開催日を誤って掲載しました。\n\n  正しくは　12月1日（日）です。  \n　"


def modal_values(view: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """``view.state.values`` for the opened modal: each input block answered by its id."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input" or block["block_id"] not in answers:
            continue
        element = block["element"]
        answer = answers[block["block_id"]]
        if element["type"] == "static_select":
            state: dict[str, Any] = {
                "type": "static_select",
                "selected_option": {
                    "text": {"type": "plain_text", "text": answer},
                    "value": answer,
                },
            }
        else:
            state = {"type": element["type"], "value": answer}
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def stored_texts(factory: sessionmaker[Session]) -> list[str]:
    with factory() as session:
        return list(
            session.scalars(
                sa.select(DraftVersion.text)
                .join(IncidentDraft, IncidentDraft.draft_id == DraftVersion.draft_id)
                .order_by(DraftVersion.id)
            )
        )


def test_the_response_button_stores_the_text_exactly_as_written(
    slack, slack_api, core, committed_factory
):
    slack.command("/incident", "訂正 kanko-x 開催日の誤り", user_id=AUTHOR)
    wait_dms(slack_api, AUTHOR)  # the reporter's notice: the root is posted before it
    assert core.courier.wait_idle()
    root = next(
        c
        for c in slack_api.calls_to("chat.postMessage")
        if c.params["channel"] == INFO_POLICY_CHANNEL
    )
    slack_api.clear()

    click(slack, buttons(root)["incident.respond"], user_id=AUTHOR, channel=INFO_POLICY_CHANNEL)
    (opened,) = slack_api.wait_for("views.open")
    view = opened.json_param("view")
    values = modal_values(view, {"purpose": "訂正", "text": BODY})
    assert set(values) == {"purpose", "text"}  # the modal asks for both
    resp = submit_view(slack, opened, values, user_id=AUTHOR)
    assert resp.status == 200

    assert stored_texts(committed_factory) == [BODY]


def test_the_thread_mentions_the_reporter_so_staff_can_reach_them(slack, slack_api, core):
    slack.command("/incident", "炎上 kanko-x 開催日の誤りに批判が集まっています", user_id=AUTHOR)
    wait_dms(slack_api, AUTHOR)
    assert core.courier.wait_idle()
    root = next(
        c
        for c in slack_api.calls_to("chat.postMessage")
        if c.params["channel"] == INFO_POLICY_CHANNEL
    )
    fields = [
        b["text"]["text"]
        for b in root.json_param("blocks")
        if b.get("type") == "section" and "*報告者*" in b["text"]["text"]
    ]
    assert fields and f"*報告者*: <@{AUTHOR}>" in fields[0]
