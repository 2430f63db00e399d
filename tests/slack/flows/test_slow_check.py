"""A draft whose check outlasts Slack's 3 seconds: answered in time, outcome in the modal.

The core call is held back by a gate (the real check and the real core run once it opens),
and the budget is short, so the slow path happens on every run, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.drafts.models import Draft
from handlers.slack.listeners.views import draft_submit
from tests.slack.flows.conftest import SLACK_IDS, draft_values, submit_view, text_of, wait_dms
from tests.slack.harness import SlackSimulator
from tests.slack.mock_web_api_server import MockSlackWebApi, RecordedCall

AUTHOR = SLACK_IDS["sato"]
TEXT = "本日から市民課の窓口時間を19時まで延長します。"
BLOCKED = "担当の山田さんの携帯は090-1234-5678です。"


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Hold every draft submission's core call until the test opens the gate."""
    opened = threading.Event()
    real = draft_submit.submit_draft_form

    def held(*args, **kwargs):
        assert opened.wait(30), "the test never opened the gate"
        return real(*args, **kwargs)

    monkeypatch.setattr(draft_submit, "submit_draft_form", held)
    monkeypatch.setattr(draft_submit, "ACK_BUDGET_SECONDS", 0.05)
    yield opened
    opened.set()


def open_form(slack: SlackSimulator, api: MockSlackWebApi) -> RecordedCall:
    assert slack.command("/draft", "", user_id=AUTHOR).status == 200
    return api.wait_for("views.open")[-1]


def wait_update(api: MockSlackWebApi, timeout: float = 10.0) -> RecordedCall:
    deadline = time.monotonic() + timeout
    while not api.calls_to("views.update"):
        assert time.monotonic() < deadline, "the modal was never updated"
        time.sleep(0.02)
    return api.calls_to("views.update")[-1]


def drafts(factory: sessionmaker[Session]) -> list[Draft]:
    with factory() as session:
        return list(session.scalars(sa.select(Draft)))


def test_slow_check_answers_in_time_then_shows_the_receipt(
    slack, slack_api, gate, committed_factory
) -> None:
    opened = open_form(slack, slack_api)
    resp = submit_view(slack, opened, draft_values(TEXT), user_id=AUTHOR, view_id="VSLOW1")
    # Answered while the check is still held: the modal says it is being checked.
    assert resp.status == 200
    answer = resp.json()
    assert answer["response_action"] == "update"
    assert answer["view"]["title"]["text"] == draft_submit.CHECKING_TITLE
    assert "お待ちください" in answer["view"]["blocks"][0]["text"]["text"]
    assert drafts(committed_factory) == []
    gate.set()
    update = wait_update(slack_api)
    assert update.params["view_id"] == "VSLOW1"
    assert update.json_param("view")["title"]["text"] == draft_submit.ACCEPTED_TITLE
    (draft,) = drafts(committed_factory)
    assert draft.state == "pending_approval"
    (receipt,) = wait_dms(slack_api, AUTHOR)
    assert f"#{draft.id}" in text_of(receipt)


def test_slow_blocked_draft_comes_back_as_the_form_with_the_text(
    slack, slack_api, gate, committed_factory
) -> None:
    opened = open_form(slack, slack_api)
    resp = submit_view(slack, opened, draft_values(BLOCKED), user_id=AUTHOR, view_id="VSLOW2")
    assert resp.json()["response_action"] == "update"
    gate.set()
    view = wait_update(slack_api).json_param("view")
    # The form again, as submitted, with the finding and its clause above it.
    assert view["callback_id"] == "draft_submit"
    problems = view["blocks"][0]["text"]["text"]
    assert "7(1)エ" in problems
    text = next(b for b in view["blocks"] if b.get("block_id") == "text")
    assert text["element"]["initial_value"] == BLOCKED
    account = next(b for b in view["blocks"] if b.get("block_id") == "account")
    assert account["element"]["initial_option"]["value"] == "kanko-x"
    assert drafts(committed_factory) == []
    # The corrected form goes through (the submission's key was released).
    gate.set()
    fixed = submit_view(
        slack,
        opened,
        draft_values("担当までお問い合わせください。"),
        user_id=AUTHOR,
        view_id="VSLOW2",
    )
    assert fixed.status == 200
    wait_dms(slack_api, AUTHOR)
    assert len(drafts(committed_factory)) == 1


def test_modal_closed_meanwhile_sends_the_problems_and_the_text_by_dm(
    slack, slack_api, gate, committed_factory
) -> None:
    opened = open_form(slack, slack_api)
    resp = submit_view(slack, opened, draft_values(BLOCKED), user_id=AUTHOR, view_id="VSLOW3")
    assert resp.json()["response_action"] == "update"
    slack_api.respond_next("views.update", {"ok": False, "error": "not_found"})
    gate.set()
    (dm,) = wait_dms(slack_api, AUTHOR)
    read = text_of(dm)
    assert "7(1)エ" in read
    assert "090-1234-5678" in read  # the text as typed, quoted: nothing is lost
    assert drafts(committed_factory) == []


def test_core_failure_after_the_notice_shows_the_error_in_the_modal(
    slack, slack_api, gate, committed_factory, monkeypatch
) -> None:
    def broken(*_args, **_kwargs):
        assert gate.wait(30)
        raise RuntimeError("the core call failed")

    monkeypatch.setattr(draft_submit, "submit_draft_form", broken)
    opened = open_form(slack, slack_api)
    resp = submit_view(slack, opened, draft_values(TEXT), user_id=AUTHOR, view_id="VSLOW4")
    assert resp.json()["response_action"] == "update"
    gate.set()
    update = wait_update(slack_api)
    assert update.params["view_id"] == "VSLOW4"
    shown = json.dumps(update.json_param("view"), ensure_ascii=False)
    assert "E-" in shown  # the error id staff can quote to 情報政策課
    assert TEXT in shown  # the text as typed, to send again
    assert drafts(committed_factory) == []
