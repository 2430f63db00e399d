"""Runtime configuration, read from the environment (and an optional .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_URL = f"sqlite:///{Path.cwd() / 'guideline-bot.sqlite3'}"


class Settings(BaseSettings):
    """Core settings shared by every process (web, worker, console, CLI)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default=DEFAULT_SQLITE_URL, alias="DATABASE_URL")
    timezone: str = Field(default="Asia/Tokyo", alias="BOT_TIMEZONE")
    # The platform this deployment delivers notifications through.
    platform: str = Field(default="console", alias="BOT_PLATFORM")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process (cached; tests build their own)."""
    return Settings()
