"""Custody tests: the demo directory (bot/directory/demo.yaml) on a fake clock before April."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.app import reminder_sources
from bot.clock import JST, FakeClock
from bot.scheduler.service import Plan, build_plan
from bot.scheduler.settings import ReminderSettings
from tests.demo import Demo, demo  # noqa: F401  (fixture re-export)


def jst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=JST)


@pytest.fixture
def clock() -> FakeClock:
    # A Thursday in late March: the April transfer list has just been announced (内示).
    return FakeClock(jst("2027-03-25 10:00"))


def deployment_plan(settings: ReminderSettings) -> Plan:
    """The sweep's plan with the sources the composition root registers (bot.app)."""
    return build_plan(settings, reminder_sources(settings))


__all__ = ["Demo", "deployment_plan", "jst"]
