"""Slack adapter settings, read from the environment only (never from files in the repo)."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
# The bot scopes of manifest.yaml: what an OAuth install asks the workspace for.
DEFAULT_SCOPES = (
    "commands,chat:write,im:write,users:read,users:read.email,channels:read,groups:read"
)


class SlackMode(StrEnum):
    SOCKET = "socket"
    HTTP = "http"


class SlackSettings(BaseSettings):
    """Environment variables of the Slack adapter; secrets are `SecretStr` and have no defaults."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    # Single-workspace token mode (today's default). Not needed when the app is installed
    # through OAuth (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): each workspace's bot token
    # then comes from the installation store (docs/slack.md, "Many workspaces").
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    # Rotation overlap: requests signed with this secret verify too (see docs/security.md,
    # "Rotating the signing secret"). Unset it when the rotation is over.
    slack_signing_secret_previous: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_scopes: str = DEFAULT_SCOPES
    # Only when the app's Redirect URL is not <public URL>/slack/oauth_redirect as registered.
    slack_redirect_uri: str | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = None
    port: int = Field(default=3000, ge=1, le=65535)
    # A web process behind a load balancer listens on all interfaces.
    host: str = "0.0.0.0"
    # TEST ONLY: origins (scheme://host[:port]) allowed for response_url besides Slack's own
    # hosts, so that a test can run the real process against a local stand-in. Empty in
    # every deployment; the process logs a warning at start when it is set.
    slack_testing_extra_response_url_origins: str = ""

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # A user token (xoxp-) or an app token here would act with the wrong identity.
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("SLACK_BOT_TOKEN には xoxb- で始まるボットトークンを設定してください")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError(
                "SLACK_APP_TOKEN には xapp- で始まるアプリレベルトークンを設定してください"
            )
        return value

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_signing_secret_previous",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "slack_redirect_uri",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `SLACK_APP_TOKEN=` in an env file means "not configured", not "empty secret".
        return None if value == "" else value

    @field_validator("slack_api_url", mode="before")
    @classmethod
    def _api_url(cls, value: object) -> object:
        if value in (None, ""):
            return None
        text = str(value)
        if not text.startswith(("http://", "https://")):
            raise ValueError(
                "SLACK_API_URL には http:// または https:// で始まる URL を設定してください"
            )
        # WebClient joins method names onto base_url, so it must end with a slash.
        return text if text.endswith("/") else text + "/"

    @field_validator("slack_testing_extra_response_url_origins")
    @classmethod
    def _extra_origins(cls, value: str) -> str:
        for origin in value.replace(",", " ").split():
            if _ORIGIN.fullmatch(origin) is None:
                raise ValueError(
                    "SLACK_TESTING_EXTRA_RESPONSE_URL_ORIGINS にはオリジン（例: "
                    "http://127.0.0.1:8080。スキーム・ホスト・ポートだけ）を並べてください"
                )
        return value

    @property
    def extra_response_url_origins(self) -> frozenset[str]:
        """The test-only response_url origins (empty unless the test variable is set)."""
        return frozenset(
            o.lower()
            for o in self.slack_testing_extra_response_url_origins.replace(",", " ").split()
        )

    @property
    def signing_secrets(self) -> tuple[str, ...]:
        """The secrets a request may be signed with: the current one, then the previous."""
        return tuple(
            s.get_secret_value()
            for s in (self.slack_signing_secret, self.slack_signing_secret_previous)
            if s is not None
        )

    @model_validator(mode="after")
    def _token_or_oauth(self) -> SlackSettings:
        if (self.slack_client_id is None) != (self.slack_client_secret is None):
            raise ValueError("SLACK_CLIENT_ID と SLACK_CLIENT_SECRET は両方とも設定してください")
        if self.slack_bot_token is None and not self.multi_workspace:
            # Reported against the token, as before OAuth existed.
            raise ValueError(
                "SLACK_BOT_TOKEN を設定してください（複数のワークスペースに導入する場合は "
                "SLACK_CLIENT_ID と SLACK_CLIENT_SECRET）"
            )
        return self

    @property
    def multi_workspace(self) -> bool:
        """True when workspaces install the app through OAuth (client id and secret set)."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def scopes(self) -> list[str]:
        """The bot scopes an install asks for."""
        return [s.strip() for s in self.slack_scopes.split(",") if s.strip()]

    @property
    def api_url(self) -> str:
        """Base URL of the Slack Web API (the real one unless SLACK_API_URL overrides it)."""
        return self.slack_api_url or DEFAULT_SLACK_API_URL

    @property
    def mode(self) -> SlackMode | None:
        """Socket Mode when an app token is set, else HTTP mode when a signing secret is set."""
        if self.slack_app_token is not None:
            return SlackMode.SOCKET
        if self.slack_signing_secret is not None:
            return SlackMode.HTTP
        return None
