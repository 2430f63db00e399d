"""Settings come from the environment, secrets stay secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from handlers.slack.settings import SlackMode, SlackSettings


def test_bot_token_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as info:
        SlackSettings()
    assert "SLACK_BOT_TOKEN を設定してください" in info.value.errors()[0]["msg"]


def test_oauth_needs_no_bot_token_but_both_client_values() -> None:
    settings = SlackSettings(slack_client_id="111.222", slack_client_secret="cs")
    assert settings.multi_workspace and settings.slack_bot_token is None
    assert "chat:write" in settings.scopes
    with pytest.raises(ValidationError, match="両方とも設定してください"):
        SlackSettings(slack_client_id="111.222")
    assert not SlackSettings(slack_bot_token="xoxb-1", slack_client_id="").multi_workspace


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


def test_extra_response_url_origins_are_empty_by_default_and_only_add_to_slacks() -> None:
    from handlers.slack import inbound, trust
    from handlers.slack.app import create_app
    from tests.slack.mock_web_api_server import MockSlackWebApi

    assert SlackSettings(slack_bot_token="xoxb-1").extra_response_url_origins == frozenset()
    with MockSlackWebApi() as api:
        plain = SlackSettings(slack_bot_token="xoxb-1", slack_api_url=api.api_url)
        app = create_app(settings=plain, listeners=False)
        assert trust.response_url_origins(app) == inbound.SLACK_RESPONSE_URL_ORIGINS
        widened = SlackSettings(
            slack_bot_token="xoxb-1",
            slack_api_url=api.api_url,
            slack_testing_extra_response_url_origins="http://127.0.0.1:8081, http://localhost:9",
        )
        app = create_app(settings=widened, listeners=False)
        assert trust.response_url_origins(app) == inbound.SLACK_RESPONSE_URL_ORIGINS | {
            "http://127.0.0.1:8081",
            "http://localhost:9",
        }


@pytest.mark.parametrize(
    "value", ["127.0.0.1:8081", "http://127.0.0.1:8081/path", "http://user@host", "ftp://h"]
)
def test_extra_response_url_origins_must_be_origins(value: str) -> None:
    with pytest.raises(ValidationError):
        SlackSettings(slack_bot_token="xoxb-1", slack_testing_extra_response_url_origins=value)
