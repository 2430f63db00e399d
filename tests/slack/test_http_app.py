"""Scenario tests: the real Bolt app served over HTTP, signed requests, mock Web API."""

from __future__ import annotations

import threading
import time

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from tests.slack.harness import SlackSimulator, drain
from tests.slack.mock_web_api_server import MockSlackWebApi
from tests.slack.signing import sign


def register_ping(app: App, invoked: threading.Event | None = None) -> None:
    """Test-only /ping: acks, answers ephemerally via the Web API and via response_url."""

    @app.command("/ping")
    def ping(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        ack()
        if invoked is not None:
            invoked.set()
        client.chat_postEphemeral(
            channel=command["channel_id"], user=command["user_id"], text=f"pong {command['text']}"
        )
        respond(text="pong via response_url", response_type="ephemeral")


def register_mention_echo(app: App) -> None:
    """Test-only app_mention listener that posts one message per event."""

    @app.event("app_mention")
    def echo(event: dict, client: WebClient) -> None:
        client.chat_postMessage(channel=event["channel"], text="受け付けました")


# ------------------------------------------------------------------ plumbing
def test_healthz_answers_ok_json(slack: SlackSimulator) -> None:
    resp = slack.get("/healthz")
    assert resp.status == 200
    assert resp.headers["content-type"] == "application/json"
    assert resp.json() == {"status": "ok"}


def test_unknown_path_is_404_and_get_on_events_is_not_dispatched(slack: SlackSimulator) -> None:
    assert slack.get("/nope").status == 404
    assert slack.get("/slack/events").status == 404


def test_oversized_body_is_refused_before_reading(
    bolt_app: App, slack_api: MockSlackWebApi
) -> None:
    import io

    from handlers.slack.wsgi import MAX_BODY_BYTES, create_wsgi_app

    statuses: list[str] = []
    body = io.BytesIO(b"")  # nothing may be read from it
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_LENGTH": str(MAX_BODY_BYTES + 1),
        "wsgi.input": body,
    }
    wsgi = create_wsgi_app(bolt_app, signing_secret="unused-here")
    result = wsgi(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["413 Payload Too Large"]
    assert b"".join(result) == b'{"error": "too large"}'
    slack_api.assert_quiet(0.1)


def test_url_verification_echoes_the_challenge(slack: SlackSimulator) -> None:
    resp = slack.url_verification("abc123-challenge")
    assert resp.status == 200
    assert resp.json() == {"challenge": "abc123-challenge"}


# ------------------------------------------------------------------ verification
def test_command_round_trip_reaches_the_mock_web_api(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    register_ping(bolt_app)
    resp = slack.command("/ping", "こんにちは", user_id="U0STAFF042", channel_id="C0KOHO0042")
    assert resp.status == 200

    (call,) = slack_api.wait_for("chat.postEphemeral")
    assert (
        call.params.items()
        >= {"channel": "C0KOHO0042", "user": "U0STAFF042", "text": "pong こんにちは"}.items()
    )
    assert call.token and call.token.startswith("xoxb-")
    (hook,) = slack_api.wait_for("response_url")
    assert hook.path.startswith("/response_url/cmd")
    assert hook.params["response_type"] == "ephemeral"


def test_forged_signature_is_401_and_runs_nothing(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    invoked = threading.Event()
    register_ping(bolt_app, invoked)
    resp = slack.post(
        "command=%2Fping&text=x&user_id=U1&channel_id=C1",
        "application/x-www-form-urlencoded",
        signature=sign("not-the-secret", int(time.time()), "command=%2Fping"),
    )
    assert resp.status == 401
    assert not invoked.wait(0.3)
    slack_api.assert_quiet(0.0)


def test_body_tampered_after_signing_is_401(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi, signing_secret: str
) -> None:
    register_ping(bolt_app)
    ts = int(time.time())
    signature = sign(signing_secret, ts, "command=%2Fping&text=hello")
    resp = slack.post(
        "command=%2Fping&text=tampered",
        "application/x-www-form-urlencoded",
        timestamp=ts,
        signature=signature,
    )
    assert resp.status == 401
    slack_api.assert_quiet(0.3)


def test_stale_timestamp_is_401_even_when_correctly_signed(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    invoked = threading.Event()
    register_ping(bolt_app, invoked)
    stale = int(time.time()) - 6 * 60  # Slack's window is 5 minutes
    body = "command=%2Fping&text=old&user_id=U1&channel_id=C1"
    resp = slack.post(body, "application/x-www-form-urlencoded", timestamp=stale)
    assert resp.status == 401
    assert not invoked.wait(0.3)
    slack_api.assert_quiet(0.0)


def test_missing_signature_headers_are_401(slack: SlackSimulator) -> None:
    from tests.slack.harness import http_request

    resp = http_request(
        "POST",
        slack.server_url + "/slack/events",
        "command=%2Fping",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert resp.status == 401


# ------------------------------------------------------------------ Web API retries
def test_rate_limited_call_is_retried_after_retry_after(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    register_mention_echo(bolt_app)
    slack_api.fail_next("chat.postMessage", status=429, retry_after=2)

    assert (
        slack.event(
            {
                "type": "app_mention",
                "user": "U0STAFF001",
                "text": "hi",
                "channel": "C0KOHO0001",
                "ts": "1.2",
                "event_ts": "1.2",
            }
        ).status
        == 200
    )

    calls = slack_api.wait_for("chat.postMessage", 2)
    assert [c.status for c in calls] == [429, 200]
    assert retry_sleeps == [2.0]


def test_server_error_is_retried_with_backoff(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    register_mention_echo(bolt_app)
    slack_api.fail_next("chat.postMessage", status=503, times=2)
    slack.event(
        {
            "type": "app_mention",
            "user": "U0STAFF001",
            "text": "hi",
            "channel": "C0KOHO0001",
            "ts": "1.2",
            "event_ts": "1.2",
        }
    )
    calls = slack_api.wait_for("chat.postMessage", 3)
    assert [c.status for c in calls] == [503, 503, 200]
    assert len(retry_sleeps) == 2 and all(0 <= s <= 2.0 for s in retry_sleeps)


# ------------------------------------------------------------------ Slack's own retries
MENTION = {
    "type": "app_mention",
    "user": "U0STAFF001",
    "text": "<@U0BOT00001> 確認",
    "channel": "C0KOHO0001",
    "ts": "1700000200.000300",
    "event_ts": "1700000200.000300",
}


def test_retried_event_does_not_post_a_second_message(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    register_mention_echo(bolt_app)
    first = slack.event(MENTION, event_id="Ev0RETRY0001")
    assert first.status == 200
    slack_api.wait_for("chat.postMessage", 1)

    for retry_num in (1, 2, 3):
        again = slack.replay(first, retry_num=retry_num)
        assert again.status == 200  # acknowledged, so Slack stops retrying
    drain(bolt_app)
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_retry_whose_first_delivery_never_arrived_is_processed(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    register_mention_echo(bolt_app)
    assert slack.event(MENTION, event_id="Ev0LOSTFIRST", retry_num=1).status == 200
    slack_api.wait_for("chat.postMessage", 1)


def test_distinct_events_are_all_processed(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    register_mention_echo(bolt_app)
    slack.event(MENTION, event_id="Ev0DISTINCT1")
    slack.event(MENTION, event_id="Ev0DISTINCT2")
    slack_api.wait_for("chat.postMessage", 2)


def test_forged_event_does_not_consume_the_event_id(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    """An attacker replaying a known event_id with a bad signature must not block the real one."""
    register_mention_echo(bolt_app)
    from tests.slack.signing import event_body, event_envelope

    body = event_body(event_envelope(MENTION, event_id="Ev0FORGED001"))
    assert slack.post(body, "application/json", signature="v0=" + "0" * 64).status == 401
    assert slack.post(body, "application/json").status == 200
    slack_api.wait_for("chat.postMessage", 1)


# ------------------------------------------------------------------ shipped listeners
def test_app_home_opened_publishes_the_home_tab(
    slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    resp = slack.event(
        {
            "type": "app_home_opened",
            "user": "U0STAFF001",
            "channel": "D0STAFF001",
            "tab": "home",
            "event_ts": "1700000300.000400",
        }
    )
    assert resp.status == 200
    (call,) = slack_api.wait_for("views.publish")
    assert call.status == 200 and call.params["user_id"] == "U0STAFF001"
    view = call.json_param("view")
    assert view["type"] == "home"
    text = str(view["blocks"])
    for command in ("/draft", "/check", "/incident", "/account"):
        assert command in text


def test_app_home_messages_tab_publishes_nothing(
    slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    slack.event(
        {
            "type": "app_home_opened",
            "user": "U0STAFF001",
            "channel": "D0STAFF001",
            "tab": "messages",
            "event_ts": "1700000300.000500",
        }
    )
    slack_api.assert_quiet(0.3)


def test_link_buttons_are_acknowledged(slack: SlackSimulator) -> None:
    resp = slack.action("link:city-page", "https://www.city.example.lg.jp/")
    assert resp.status == 200


def test_unhandled_action_is_not_acknowledged_silently(slack: SlackSimulator) -> None:
    # Bolt answers 404 for a payload nobody listens to; Slack then shows the user a warning.
    assert slack.action("no-such-action").status == 404
