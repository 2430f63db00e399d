"""The harness itself: signatures match Slack's algorithm, the mock behaves like Slack."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from tests.slack import signing
from tests.slack.harness import http_request
from tests.slack.mock_web_api_server import MockSlackWebApi


# ------------------------------------------------------------------ signing
def test_signature_matches_slack_sdk_verifier(signing_secret: str) -> None:
    body = signing.slash_command_body("/check", "テスト")
    headers = signing.Signer(signing_secret).headers(body, signing.FORM)
    assert SignatureVerifier(signing_secret).is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)


def test_documented_example_signature() -> None:
    # The worked example in Slack's "Verifying requests from Slack" guide.
    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
        "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook"
        "-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F3977"
        "00885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10"
        "d2c447fce8b6703c"
    )
    assert signing.sign(secret, 1531420618, body) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


def test_slash_command_body_is_form_encoded_like_slack() -> None:
    fields = parse_qs(signing.slash_command_body("/draft", "本文", user_id="U9"))
    assert fields["command"] == ["/draft"]
    assert fields["text"] == ["本文"]
    assert fields["user_id"] == ["U9"]
    for name in ("team_id", "channel_id", "response_url", "trigger_id", "api_app_id"):
        assert fields[name][0]


def test_interaction_body_is_payload_json() -> None:
    payload = signing.block_actions_payload("approval:approve", "draft:1:v2")
    (raw,) = parse_qs(signing.interaction_body(payload))["payload"]
    decoded = json.loads(raw)
    assert decoded["type"] == "block_actions"
    assert decoded["actions"][0] == decoded["actions"][0] | {
        "action_id": "approval:approve",
        "value": "draft:1:v2",
        "type": "button",
    }


def test_trigger_and_event_ids_are_unique() -> None:
    a = signing.block_actions_payload("x")["trigger_id"]
    b = signing.block_actions_payload("x")["trigger_id"]
    assert a != b
    assert signing.event_envelope({})["event_id"] != signing.event_envelope({})["event_id"]


# ------------------------------------------------------------------ mock Web API
@pytest.fixture
def client(slack_api: MockSlackWebApi) -> WebClient:
    return WebClient(token="xoxb-harness", base_url=slack_api.api_url, retry_handlers=[])


def test_records_json_and_form_bodies(client: WebClient, slack_api: MockSlackWebApi) -> None:
    client.chat_postMessage(channel="C1", text="json body", blocks=[{"type": "divider"}])
    client.api_call("chat.postEphemeral", data={"channel": "C1", "user": "U1", "text": "form"})
    client.users_info(user="U1")
    post, ephemeral, info = slack_api.calls
    assert post.params["text"] == "json body" and post.json_param("blocks") == [{"type": "divider"}]
    assert post.headers["content-type"].startswith("application/json")
    assert ephemeral.params == {"channel": "C1", "user": "U1", "text": "form"}
    assert info.method == "users.info" and info.params["user"] == "U1"
    assert all(c.token == "xoxb-harness" for c in slack_api.calls)


def test_realistic_message_responses(client: WebClient) -> None:
    first = client.chat_postMessage(channel="U0HEAD0001", text="決裁依頼")
    second = client.chat_postMessage(channel="C1", text="b")
    assert first["channel"] == "D0HEAD0001"  # a user id lands in the DM channel
    assert first["message"]["text"] == "決裁依頼" and first["message"]["bot_id"]
    assert float(second["ts"]) > float(first["ts"])
    updated = client.chat_update(channel=first["channel"], ts=first["ts"], text="承認済み")
    assert updated["message"]["text"] == "承認済み"


def test_views_track_id_and_hash(client: WebClient) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "投稿案"}, "blocks": []}
    opened = client.views_open(trigger_id="123.456", view=view)["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=view)["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    with pytest.raises(SlackApiError, match="hash_conflict"):
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=view)
    with pytest.raises(SlackApiError, match="expired_trigger_id"):
        client.views_open(trigger_id="expired.1", view=view)


def test_enforces_block_kit_limits(client: WebClient) -> None:
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "divider"}] * 51)
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_postMessage(
            channel="C1",
            text="x",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "a" * 3001}}],
        )
    long_title = {"type": "modal", "title": {"type": "plain_text", "text": "あ" * 25}, "blocks": []}
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_open(trigger_id="1.2", view=long_title)


def test_auth_errors(slack_api: MockSlackWebApi) -> None:
    with pytest.raises(SlackApiError, match="not_authed"):
        WebClient(base_url=slack_api.api_url, retry_handlers=[]).auth_test()
    slack_api.valid_tokens = {"xoxb-good"}
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token="xoxb-bad", base_url=slack_api.api_url, retry_handlers=[]).auth_test()


def test_conversations_open_and_users_info(client: WebClient, slack_api: MockSlackWebApi) -> None:
    assert client.conversations_open(users="U0HEAD0001")["channel"]["id"] == "D0HEAD0001"
    slack_api.add_user("U0HEAD0001", real_name="鈴木 花子")
    assert client.users_info(user="U0HEAD0001")["user"]["real_name"] == "鈴木 花子"
    assert client.users_info(user="U0OTHER")["user"]["tz"] == "Asia/Tokyo"


def test_response_url_is_recorded(slack_api: MockSlackWebApi) -> None:
    resp = http_request(
        "POST",
        slack_api.response_url("abc"),
        json.dumps({"text": "hi"}),
        {"Content-Type": "application/json"},
    )
    assert resp.status == 200 and resp.json() == {"ok": True}
    (call,) = slack_api.calls_to("response_url")
    assert call.path == "/response_url/abc" and call.params == {"text": "hi"}


def test_respond_next_and_wait_for_timeout(client: WebClient, slack_api: MockSlackWebApi) -> None:
    slack_api.respond_next("chat.postMessage", {"ok": False, "error": "channel_not_found"})
    with pytest.raises(SlackApiError, match="channel_not_found"):
        client.chat_postMessage(channel="C1", text="x")
    start = time.monotonic()
    with pytest.raises(AssertionError, match="expected 1 call"):
        slack_api.wait_for("views.open", timeout=0.2)
    assert time.monotonic() - start < 1
