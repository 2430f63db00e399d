"""The Web API client's retry policy, against the mock server."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.slack.client import build_client
from handlers.slack.settings import SlackSettings
from tests.slack.mock_web_api_server import MockSlackWebApi


def test_client_uses_slack_api_url_and_bot_token(
    slack_client: WebClient, slack_api: MockSlackWebApi, slack_settings: SlackSettings
) -> None:
    assert slack_client.base_url == slack_api.api_url
    assert slack_client.auth_test()["user_id"] == "U0BOT00001"
    (call,) = slack_api.calls_to("auth.test")
    assert call.token == slack_settings.slack_bot_token.get_secret_value()


def test_default_base_url_is_slack() -> None:
    client = build_client(SlackSettings(slack_bot_token="xoxb-1"))
    assert client.base_url == "https://slack.com/api/"


def test_429_waits_exactly_retry_after_then_succeeds(
    slack_client: WebClient, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    slack_api.fail_next("chat.postMessage", status=429, times=2, retry_after=3)
    resp = slack_client.chat_postMessage(channel="C1", text="こんにちは")
    assert resp["ok"] is True
    assert [c.status for c in slack_api.calls_to("chat.postMessage")] == [429, 429, 200]
    assert retry_sleeps == [3.0, 3.0]


def test_429_with_a_long_retry_after_fails_fast_for_the_outbox(
    slack_client: WebClient, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    slack_api.fail_next("chat.postMessage", status=429, retry_after=120)
    with pytest.raises(SlackApiError) as info:
        slack_client.chat_postMessage(channel="C1", text="x")
    assert info.value.response.status_code == 429
    assert retry_sleeps == []


def test_429_gives_up_after_three_retries(
    slack_client: WebClient, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    slack_api.fail_next("chat.postMessage", status=429, times=10, retry_after=1)
    with pytest.raises(SlackApiError):
        slack_client.chat_postMessage(channel="C1", text="x")
    assert len(slack_api.calls_to("chat.postMessage")) == 4
    assert retry_sleeps == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_back_off_then_succeed(
    status: int, slack_client: WebClient, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    slack_api.fail_next("views.publish", status=status, times=2)
    resp = slack_client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert resp["ok"] is True
    assert len(retry_sleeps) == 2
    # exponential backoff 0.5 * 2**attempt, plus up to 1 s of jitter
    assert 0.5 <= retry_sleeps[0] < 1.5 and 1.0 <= retry_sleeps[1] < 2.0


def test_persistent_server_error_raises(
    slack_client: WebClient, slack_api: MockSlackWebApi
) -> None:
    slack_api.fail_next("chat.postMessage", status=500, times=5)
    with pytest.raises(SlackApiError):
        slack_client.chat_postMessage(channel="C1", text="x")
    assert len(slack_api.calls_to("chat.postMessage")) == 3  # first try + 2 retries


def test_4xx_other_than_429_is_not_retried(
    slack_client: WebClient, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    slack_api.fail_next("chat.postMessage", status=400)
    with pytest.raises(SlackApiError):
        slack_client.chat_postMessage(channel="C1", text="x")
    assert retry_sleeps == []


def test_dropped_connection_is_retried(
    slack_client: WebClient, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    slack_api.drop_next("chat.postMessage")
    assert slack_client.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert [c.status for c in slack_api.calls_to("chat.postMessage")] == [0, 200]
    assert len(retry_sleeps) == 1


def test_api_level_errors_are_not_retried(
    slack_client: WebClient, slack_api: MockSlackWebApi, retry_sleeps: list[float]
) -> None:
    with pytest.raises(SlackApiError) as info:
        slack_client.chat_update(channel="C1", ts="1.1", text="x")
    assert info.value.response["error"] == "message_not_found"
    assert retry_sleeps == []
