"""Teams settings, from the environment only. Secrets are ``SecretStr`` and never logged."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class TeamsSettings(BaseSettings):
    """``CLIENT_ID`` / ``CLIENT_SECRET`` / ``TENANT_ID`` are the names the Teams SDK uses."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    client_id: str | None = Field(default=None, validation_alias="CLIENT_ID")
    client_secret: SecretStr | None = Field(default=None, validation_alias="CLIENT_SECRET")
    tenant_id: str | None = Field(default=None, validation_alias="TENANT_ID")
    port: int = Field(default=3978, validation_alias="PORT")
    service_url: str | None = Field(default=None, validation_alias="SERVICE_URL")
    # Local runs only (Agents Playground, tests). Off unless explicitly switched on.
    allow_unauthenticated: bool = Field(
        default=False, validation_alias="DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS"
    )
    # Packaging: the Teams app id (manifest "id"), may differ from the bot's client id.
    teams_app_id: str | None = Field(default=None, validation_alias="TEAMS_APP_ID")
    valid_domains: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=AliasChoices("TEAMS_VALID_DOMAINS", "BOT_DOMAIN")
    )
    app_version: str = Field(default="1.0.0", validation_alias="TEAMS_APP_VERSION")
    # Packaging per tenant: a YAML file of each tenant's app ids and URLs
    # (handlers.teams.packaging.TenantApp; docs/teams.md, "Package and upload").
    teams_apps_file: Path | None = Field(default=None, validation_alias="TEAMS_APPS_FILE")

    @field_validator("valid_domains", mode="before")
    @classmethod
    def _split_domains(cls, value: Any) -> Any:
        """``a.example.jp,b.example.jp`` (comma or space separated) as a list."""
        if isinstance(value, str):
            return [part for part in value.replace(",", " ").split() if part]
        return value
