"""Checkpoint and published-head settings, from ``AUDIT_*`` environment variables."""

from __future__ import annotations

from typing import Annotated

from apscheduler.triggers.cron import CronTrigger
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import BotError


class AuditSettings(BaseSettings):
    """How often the worker signs the head, and where the daily copy goes."""

    model_config = SettingsConfigDict(env_prefix="AUDIT_", env_file=".env", extra="ignore")

    # At least hourly (issue 17): a longer interval is refused, not silently accepted.
    checkpoint_minutes: Annotated[float, Field(gt=0, le=60)] = 60.0
    # The daily message with the head to 情報政策課's channel (crontab, the calendar's zone).
    head_cron: str = "0 9 * * *"
    head_channel: str = "info_policy"

    @field_validator("head_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        CronTrigger.from_crontab(value)  # raises ValueError on a bad expression
        return value


def load_audit_settings() -> AuditSettings:
    """The settings, or a BotError naming the variable that does not validate."""
    try:
        return AuditSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "AUDIT_" + str(first["loc"][0]).upper() if first.get("loc") else "AUDIT_*"
        raise BotError(f"{name} の値が正しくありません（{first['msg']}）。") from None
