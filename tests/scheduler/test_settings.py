"""Bad reminder configuration stops the worker at start, naming the variable."""

from __future__ import annotations

from datetime import time

import pytest

from bot.scheduler.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    # No developer .env or REMINDER_* variables leak into these tests.
    monkeypatch.chdir(tmp_path)
    import os

    for key in list(os.environ):
        if key.startswith("REMINDER_"):
            monkeypatch.delenv(key)


def test_defaults_describe_a_city_office():
    settings = load_settings()
    cal = settings.calendar()
    assert (cal.opens, cal.closes) == (time(8, 30), time(17, 15))
    assert cal.weekdays == frozenset(range(5))
    assert "12-29..01-03" in settings.closed_days
    assert settings.digest_cron == "0 9 * * mon-fri"


def test_environment_is_read_with_the_prefix(monkeypatch):
    monkeypatch.setenv("REMINDER_APPROVAL_AFTER_HOURS", "2.5")
    monkeypatch.setenv("REMINDER_CLOSED_DAYS", "12-29..01-03, 08-13..08-15")
    monkeypatch.setenv("REMINDER_BUSINESS_DAYS", "mon,wed")
    settings = load_settings()
    assert settings.approval_after_hours == 2.5
    assert settings.closed_days == ["12-29..01-03", "08-13..08-15"]
    assert settings.calendar().weekdays == frozenset({0, 2})


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("REMINDER_TIMEZONE", "Asia/Tokio", "タイムゾーン"),
        ("REMINDER_APPROVAL_AFTER_HOURS", "-1", "より大きい"),
        ("REMINDER_APPROVAL_REPEAT_HOURS", "0", "より大きい"),
        ("REMINDER_FLAMING_STALE_AFTER_MINUTES", "-30", "より大きい"),
        ("REMINDER_SWEEP_INTERVAL_SECONDS", "soon", "数値"),
        ("REMINDER_DIGEST_CRON", "0 25 * * *", "cron"),
        ("REMINDER_DIGEST_CRON", "every morning", "cron"),
        ("REMINDER_BUSINESS_START", "8時半", "HH:MM"),
        ("REMINDER_BUSINESS_DAYS", "mon,funday", "曜日"),
        ("REMINDER_CLOSED_DAYS", "12/29", "閉庁日"),
        ("REMINDER_HOLIDAY_COUNTRY", "XX", "祝日"),
    ],
)
def test_bad_value_names_the_variable(monkeypatch, variable, value, words):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert info.value.variables == [variable]
    assert variable in info.value.message
    assert words in info.value.message
    assert "ワーカーを起動できません" in info.value.message


def test_hours_that_close_before_they_open(monkeypatch):
    monkeypatch.setenv("REMINDER_BUSINESS_START", "18:00")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "REMINDER_BUSINESS_START" in info.value.message
    assert "終了時刻より前" in info.value.message


def test_several_mistakes_are_reported_together(monkeypatch):
    monkeypatch.setenv("REMINDER_TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("REMINDER_REPORT_ACK_AFTER_HOURS", "-2")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert set(info.value.variables) == {"REMINDER_TIMEZONE", "REMINDER_REPORT_ACK_AFTER_HOURS"}
