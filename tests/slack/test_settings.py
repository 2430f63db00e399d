"""Settings come from the environment, secrets stay secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from handlers.slack.settings import SlackMode, SlackSettings


def test_bot_token_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as info:
        SlackSettings()
    assert info.value.errors()[0]["loc"] == ("slack_bot_token",)


def test_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-abc")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9999/api")
    monkeypatch.setenv("PORT", "8080")
    settings = SlackSettings()
    assert settings.slack_bot_token.get_secret_value() == "xoxb-abc"
    assert settings.api_url == "http://127.0.0.1:9999/api/"
    assert settings.port == 8080
    assert settings.mode is SlackMode.HTTP


def test_defaults() -> None:
    settings = SlackSettings(slack_bot_token="xoxb-1")
    assert settings.port == 3000
    assert settings.api_url == "https://slack.com/api/"
    assert settings.mode is None


def test_secrets_never_appear_in_repr() -> None:
    settings = SlackSettings(
        slack_bot_token="xoxb-very-secret",
        slack_signing_secret="sig-very-secret",
        slack_app_token="xapp-very-secret",
    )
    text = repr(settings) + str(settings) + settings.model_dump_json()
    assert "very-secret" not in text


@pytest.mark.parametrize(
    ("fields", "mode"),
    [
        ({"slack_app_token": "xapp-1"}, SlackMode.SOCKET),
        ({"slack_signing_secret": "s"}, SlackMode.HTTP),
        ({"slack_app_token": "xapp-1", "slack_signing_secret": "s"}, SlackMode.SOCKET),
        ({"slack_app_token": "", "slack_signing_secret": ""}, None),
    ],
)
def test_mode_selection(fields: dict, mode: SlackMode | None) -> None:
    assert SlackSettings(slack_bot_token="xoxb-1", **fields).mode is mode


@pytest.mark.parametrize(
    "fields",
    [
        {"slack_bot_token": "xoxp-user-token"},
        {"slack_bot_token": "xoxb-1", "slack_app_token": "xoxb-wrong"},
        {"slack_bot_token": "xoxb-1", "slack_api_url": "ftp://x"},
        {"slack_bot_token": "xoxb-1", "port": 0},
    ],
)
def test_invalid_values_are_rejected(fields: dict) -> None:
    with pytest.raises(ValidationError):
        SlackSettings(**fields)
