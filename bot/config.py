"""Runtime configuration, read from the environment (and an optional .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_URL = f"sqlite:///{Path.cwd() / 'guideline-bot.sqlite3'}"


class Settings(BaseSettings):
    """Core settings shared by every process (web, worker, console, CLI)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default=DEFAULT_SQLITE_URL, alias="DATABASE_URL")
    timezone: str = Field(default="Asia/Tokyo", alias="BOT_TIMEZONE")
    # The platform this deployment delivers notifications through.
    platform: str = Field(default="console", alias="BOT_PLATFORM")
    # The public https origin of the web process (``tenant install-url`` prints links on it).
    public_url: str | None = Field(default=None, alias="BOT_PUBLIC_URL")
    # The Slack app's client secret: install links are signed with a key derived from it
    # (bot.workspaces.link_key), so that only the operator can issue them.
    slack_client_secret: SecretStr | None = Field(default=None, alias="SLACK_CLIENT_SECRET")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process (cached; tests build their own)."""
    return Settings()
