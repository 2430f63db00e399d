"""/check's 7(2)オ reminder tells whether it is working time, on the one business calendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.business_calendar import BusinessCalendar, business_calendar
from bot.drafts.checking import section7_reminders

JST = ZoneInfo("Asia/Tokyo")


def hours_line(when: str, calendar: BusinessCalendar | None = None) -> str:
    now = datetime.fromisoformat(when).replace(tzinfo=JST)
    [line] = [r for r in section7_reminders(now, calendar) if r.startswith("7(2)オ")]
    return line


@pytest.mark.parametrize(
    ("when", "working"),
    [
        ("2026-11-25 10:00", True),  # Wednesday
        ("2026-11-25 08:29", False),
        ("2026-11-25 08:30", True),
        ("2026-11-25 17:14", True),
        ("2026-11-25 17:15", False),  # closing time is already after hours
        ("2026-11-28 10:00", False),  # Saturday
        ("2026-11-23 10:00", False),  # 勤労感謝の日 (Monday)
        ("2026-05-06 10:00", False),  # 振替休日 for 憲法記念日 on a Sunday
        ("2026-12-29 10:00", False),  # 年末年始 (a Tuesday): the old /check said working time
        ("2027-01-04 10:00", True),  # first working day of the year
    ],
)
def test_working_time_follows_the_business_calendar(when, working):
    line = hours_line(when)
    assert ("現在は勤務時間中です" in line) is working
    assert ("現在は勤務時間外です" in line) is not working


def test_the_hours_are_named_with_what_they_exclude():
    line = hours_line("2026-11-25 10:00")
    assert "勤務時間: 平日 08:30〜17:15（日本時間、祝日・年末年始を除く）" in line


def test_reminder_settings_define_the_hours(monkeypatch):
    monkeypatch.setenv("REMINDER_BUSINESS_START", "09:00")
    monkeypatch.setenv("REMINDER_BUSINESS_END", "18:00")
    monkeypatch.setenv("REMINDER_BUSINESS_DAYS", "mon,tue,wed,thu,fri,sat")
    calendar = business_calendar()
    assert "現在は勤務時間中です" in hours_line("2026-11-28 17:30", calendar)  # Saturday
    assert "現在は勤務時間外です" in hours_line("2026-11-25 08:45", calendar)
    assert "月・火・水・木・金・土曜 09:00〜18:00" in hours_line("2026-11-25 10:00", calendar)


def test_a_bad_calendar_setting_falls_back_to_the_default_hours(monkeypatch):
    monkeypatch.setenv("REMINDER_BUSINESS_START", "25:00")
    assert business_calendar() == BusinessCalendar()
