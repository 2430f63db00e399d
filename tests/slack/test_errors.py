"""The global error path: a Japanese notice with an error id for the user, a log without data."""

from __future__ import annotations

import logging
import re

import pytest
from slack_bolt import Ack, App, Respond

from handlers.slack.errors import guarded, handle_error, new_error_id
from handlers.slack.trust import VERIFIED
from tests.slack.harness import SlackSimulator
from tests.slack.mock_web_api_server import MockSlackWebApi

SECRET_DRAFT = "090-1234-5678 は山田さんの携帯です（下書き）"
ERROR_ID = re.compile(r"E-[0-9A-F]{8}")
# What happens after the ack runs in Bolt's listener thread; wait for it on the stand-in's
# condition (``wait_for`` returns the moment the call is recorded), with a ceiling generous
# enough for a machine under the full suite's load. A timing assertion it is not.
AFTER_ACK = 60.0


def _assert_logged_without_secret(caplog: pytest.LogCaptureFixture, error_id: str) -> None:
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"error_id={error_id}" in logged
    assert "type=ValueError" in logged
    assert SECRET_DRAFT not in logged and "090-1234-5678" not in logged
    # no traceback text either: exc_info would print the exception message
    assert all(r.exc_info is None for r in caplog.records if r.name.startswith("handlers"))


def test_command_failing_before_ack_gets_an_ephemeral_answer(
    bolt_app: App, slack: SlackSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    @bolt_app.command("/boom")
    def boom(ack: Ack, command: dict) -> None:
        raise ValueError(f"cannot parse {command['text']}")

    resp = slack.command("/boom", SECRET_DRAFT)
    assert resp.status == 200
    answer = resp.json()
    assert answer["response_type"] == "ephemeral"
    assert "エラーが発生しました" in answer["text"]
    error_id = ERROR_ID.search(answer["text"]).group()
    _assert_logged_without_secret(caplog, error_id)


def test_failure_after_ack_is_reported_through_response_url(
    bolt_app: App,
    slack: SlackSimulator,
    slack_api: MockSlackWebApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)

    @bolt_app.command("/late")
    def late(ack: Ack, command: dict) -> None:
        ack()
        raise ValueError(command["text"])

    assert slack.command("/late", SECRET_DRAFT).status == 200
    (hook,) = slack_api.wait_for("response_url", timeout=AFTER_ACK)
    assert hook.params["response_type"] == "ephemeral"
    assert hook.params["replace_original"] is False
    error_id = ERROR_ID.search(hook.params["text"]).group()
    _assert_logged_without_secret(caplog, error_id)


def test_guarded_lazy_listener_failure_reaches_the_user(
    bolt_app: App,
    slack: SlackSimulator,
    slack_api: MockSlackWebApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)

    def ack_quickly(ack: Ack) -> None:
        ack()

    def slow_work(command: dict) -> None:  # asks for neither body nor respond
        raise ValueError(command["text"])

    bolt_app.command("/slow")(ack=ack_quickly, lazy=[guarded(slow_work)])
    assert slack.command("/slow", SECRET_DRAFT).status == 200
    (hook,) = slack_api.wait_for("response_url", timeout=AFTER_ACK)
    error_id = ERROR_ID.search(hook.params["text"]).group()
    _assert_logged_without_secret(caplog, error_id)


def test_guarded_keeps_the_name_and_passes_only_requested_args() -> None:
    seen: dict = {}

    def my_lazy(command: dict, say: object) -> None:
        seen.update(command=command, say=say)

    wrapped = guarded(my_lazy)
    assert wrapped.__name__ == "my_lazy"
    import inspect

    assert inspect.getfullargspec(wrapped).args == [
        "command",
        "say",
        "body",
        "respond",
        "client",
        "context",
    ]
    wrapped(command={"text": "x"}, say="S", body={}, respond=None, client=None)
    assert seen == {"command": {"text": "x"}, "say": "S"}


def test_view_submission_failure_pushes_an_error_modal(
    bolt_app: App, slack: SlackSimulator
) -> None:
    @bolt_app.view("draft_submit")
    def submit(ack: Ack, view: dict) -> None:
        raise ValueError(str(view["state"]["values"]))

    resp = slack.view_submission("draft_submit")
    assert resp.status == 200
    answer = resp.json()
    assert answer["response_action"] == "push"
    assert answer["view"]["title"]["text"] == "エラー"
    assert ERROR_ID.search(answer["view"]["blocks"][0]["text"]["text"])


def test_event_listener_failure_is_told_ephemerally_in_the_channel(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    @bolt_app.event("app_mention")
    def mention(event: dict) -> None:
        raise ValueError(event["text"])

    slack.event(
        {
            "type": "app_mention",
            "user": "U0STAFF009",
            "text": SECRET_DRAFT,
            "channel": "C0KOHO0009",
            "ts": "1.1",
            "event_ts": "1.1",
        }
    )
    (call,) = slack_api.wait_for("chat.postEphemeral", timeout=AFTER_ACK)
    assert call.params["channel"] == "C0KOHO0009" and call.params["user"] == "U0STAFF009"
    assert ERROR_ID.search(call.params["text"])


def test_button_failure_is_acknowledged_and_reported(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    @bolt_app.action("approval:approve")
    def approve(ack: Ack, respond: Respond) -> None:
        raise ValueError("boom")

    resp = slack.action("approval:approve", "draft:1:v1")
    assert resp.status == 200  # no warning triangle in Slack
    (hook,) = slack_api.wait_for("response_url", timeout=AFTER_ACK)
    assert ERROR_ID.search(hook.params["text"])


def test_a_failing_notice_does_not_raise(
    slack_api: MockSlackWebApi, caplog: pytest.LogCaptureFixture
) -> None:
    from slack_bolt.context.respond import Respond as BoltRespond

    slack_api.fail_next("response_url", status=500)
    respond = BoltRespond(response_url=slack_api.response_url("gone"))
    verified = {VERIFIED: True}
    result = handle_error(
        ValueError("x"), {"command": "/x"}, respond=respond, client=None, context=verified
    )
    assert result is None
    assert any("could not tell the user" in r.getMessage() for r in caplog.records)


def test_the_error_handler_never_acts_on_an_unverified_request(
    slack_api: MockSlackWebApi, slack_client
) -> None:
    from slack_bolt.context.respond import Respond as BoltRespond
    from slack_bolt.response import BoltResponse

    respond = BoltRespond(response_url=slack_api.response_url("attacker"))
    body = {"type": "block_actions", "user": {"id": "U0VICTIM01"}, "channel": {"id": "C0X"}}
    for context in (None, {}, {VERIFIED: "yes"}):
        answer = handle_error(
            ValueError("x"),
            body,
            respond=respond,
            client=slack_client,
            response=BoltResponse(status=500, body=""),
            context=context,
        )
        assert answer is not None and answer.status == 401
    slack_api.assert_quiet(0.2)


def test_error_ids_are_distinct() -> None:
    ids = {new_error_id() for _ in range(200)}
    assert len(ids) == 200 and all(ERROR_ID.fullmatch(i) for i in ids)


@pytest.mark.parametrize(
    "body",
    [
        {"type": "event_callback", "event": "app_mention"},
        {"type": "event_callback", "event": ["app_mention"]},
        {"command": ["/x"], "team": "T1", "user": {"id": ["U1"]}, "channel": 5},
        ["not", "a", "mapping"],
        "payload",
        None,
    ],
)
def test_log_error_survives_any_body(body, caplog: pytest.LogCaptureFixture) -> None:
    from handlers.slack.errors import log_error

    caplog.set_level(logging.INFO)
    log_error(ValueError(SECRET_DRAFT), body, error_id="E-00000001")
    (line,) = [r.getMessage() for r in caplog.records if "E-00000001" in r.getMessage()]
    assert "type=ValueError" in line and SECRET_DRAFT not in line
