"""Reminder settings, from ``REMINDER_*`` environment variables (and ``.env``).

Every interval has a default that suits a city office; a bad value (an unknown time zone, a
zero or negative interval, a cron expression that does not parse) stops the worker at start
with a message naming the variable, rather than failing later in the night.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import SettingsConfigDict

from bot.business_calendar import ENV_PREFIX, CalendarSettings

Positive = Annotated[float, Field(gt=0)]


class ReminderSettings(CalendarSettings):
    """Intervals for reminders (W3), on top of the business calendar (``CalendarSettings``)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    # Draft waiting for 決裁 (4(3)): remind the approver after N business hours, bring in
    # the department's active deputies after M, and repeat every K.
    approval_after_hours: Positive = 4.0
    approval_escalate_after_hours: Positive = 8.75  # one business day
    approval_repeat_hours: Positive = 4.0
    # Exempt post (4(3) ただし書): remind the author when the planned time + X has passed
    # with no 投稿 registered and no 事後報告 filed.
    exempt_report_after_hours: Positive = 1.0
    exempt_report_repeat_hours: Positive = 4.0
    # 事後報告 not acknowledged by the 所属長 after Y.
    report_ack_after_hours: Positive = 8.75
    report_ack_repeat_hours: Positive = 8.75
    # 炎上 (6(3)) with no status update for Z minutes: wall-clock time, calendar ignored.
    flaming_stale_after_minutes: Positive = 30.0
    flaming_repeat_minutes: Positive = 30.0
    # 4(3)エ emergency items ignore the calendar; their intervals in wall-clock minutes.
    emergency_after_minutes: Positive = 60.0
    emergency_repeat_minutes: Positive = 60.0

    # Credential custody (5(10), bot.custody), in calendar days; sent in business hours.
    # Password rotation due N days after the last recorded change.
    custody_rotation_days: Positive = 180.0
    # The record not confirmed (記録どおりと確認) for N days.
    custody_unconfirmed_days: Positive = 90.0
    # 2FA off, a personal recovery address, no record at all: first reminder after N days.
    custody_flag_after_days: Positive = 1.0
    custody_repeat_days: Positive = 7.0
    # The 所属長 is brought in N days after the manager's first reminder.
    custody_escalate_after_days: Positive = 7.0
    # Remind about confirmed accounts with no custody record at all. Off by default: turn it
    # on once the records have been entered, or every account is reminded on the first day.
    custody_missing_reminders: bool = False
    # Handover tasks after a transfer (人事異動): remind daily until done, 所属長 after N days.
    handover_after_days: Positive = 1.0
    handover_repeat_days: Positive = 1.0
    handover_escalate_after_days: Positive = 3.0

    # Daily digest of everything overdue, to 情報政策課's channel (crontab syntax, local time).
    digest_cron: str = "0 9 * * mon-fri"
    digest_channel: str = "info_policy"
    digest_max_lines: Annotated[int, Field(gt=0)] = 40

    # Worker mechanics.
    sweep_interval_seconds: Positive = 60.0
    outbox_interval_seconds: Positive = 10.0
    lease_seconds: Positive = 300.0
    batch_size: Annotated[int, Field(gt=0)] = 500
    snooze_default_minutes: Annotated[int, Field(gt=0)] = 60

    @field_validator("digest_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError:
            # APScheduler's reason is English: say how the expression is written instead.
            raise ValueError(
                f"cron 式 {value!r} を解釈できません（分 時 日 月 曜日 の5項目を空白で区切って"
                "書きます。例: 0 9 * * 1-5）"
            ) from None
        return value

    @staticmethod
    def hours(value: float) -> timedelta:
        return timedelta(hours=value)

    @staticmethod
    def minutes(value: float) -> timedelta:
        return timedelta(minutes=value)


class SettingsError(Exception):
    """Reminder configuration that cannot be used; ``message`` names each bad variable."""

    def __init__(self, message: str, variables: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.variables = variables


def load_settings(**overrides: Any) -> ReminderSettings:
    """Read and validate the settings, or raise SettingsError naming the bad variables."""
    try:
        return ReminderSettings(**overrides)
    except ValidationError as exc:
        variables: list[str] = []
        lines: list[str] = []
        for error in exc.errors():
            loc = [str(part) for part in error.get("loc", ()) if str(part)]
            name = ENV_PREFIX + loc[0].upper() if loc else ENV_PREFIX + "*"
            if not loc:
                # Model-level check: the message names the variables itself.
                name = ENV_PREFIX + "BUSINESS_START"
            variables.append(name)
            reason = _reason(error)
            lines.append(f"  {name}: {reason}")
        message = "リマインダーの設定に誤りがあるため、ワーカーを起動できません。\n" + "\n".join(
            lines
        )
        raise SettingsError(message, variables) from None


def _reason(error: Any) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("greater_than", "greater_than_equal"):
        return f"{ctx.get('gt', ctx.get('ge'))} より大きい値を指定してください（値: {error.get('input')!r}）"
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type"):
        return f"数値を指定してください（値: {error.get('input')!r}）"
    return str(error.get("msg", "")).removeprefix("Value error, ")
