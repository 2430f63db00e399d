"""The pattern every view-submission listener follows: a repeat submit creates nothing new."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.slack.dedupe import Deduper, claimed, view_submission_key
from tests.slack.harness import SlackSimulator, drain
from tests.slack.mock_web_api_server import MockSlackWebApi

VALUES = {"text": {"text": {"type": "plain_text_input", "value": "窓口時間を延長します。"}}}


def register_draft_submit(app: App) -> None:
    """Test-only stand-in for the /draft modal: posts one message per accepted submission."""

    @app.view("pattern_submit")
    def submit(ack: Ack, body: dict, view: dict, client: WebClient, deduper: Deduper) -> None:
        key = view_submission_key(body)
        with claimed(deduper, key) as first:
            if not first:
                ack()
                return
            text = view["state"]["values"]["text"]["text"]["value"]
            if not text.strip():
                deduper.release(key)  # rejected: the corrected form must go through
                ack(response_action="errors", errors={"text": "本文を入力してください。"})
                return
            ack()
            client.chat_postMessage(channel=body["user"]["id"], text=f"受付: {text}")


def test_double_submit_posts_once(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    register_draft_submit(bolt_app)
    assert slack.view_submission("pattern_submit", VALUES).status == 200
    assert slack.view_submission("pattern_submit", VALUES).status == 200
    drain(bolt_app)
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_rejected_then_corrected_submission_goes_through(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    register_draft_submit(bolt_app)
    empty = {"text": {"text": {"type": "plain_text_input", "value": " "}}}
    rejected = slack.view_submission("pattern_submit", empty)
    assert rejected.json() == {
        "response_action": "errors",
        "errors": {"text": "本文を入力してください。"},
    }
    # The user retries the same (still empty) form: still validated, not silently swallowed.
    assert slack.view_submission("pattern_submit", empty).json()["response_action"] == "errors"
    assert slack.view_submission("pattern_submit", VALUES).status == 200
    (call,) = slack_api.wait_for("chat.postMessage", 1)
    assert call.params["text"] == "受付: 窓口時間を延長します。"
