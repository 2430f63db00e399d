"""The business calendar: JST office hours, national holidays (holidays package), 年末年始."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.business_calendar import BusinessCalendar, ClosedDays, parse_weekdays

JST = ZoneInfo("Asia/Tokyo")
CAL = BusinessCalendar()


def jst(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=JST)


H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        # Within one day.
        ("2026-11-25 09:00", 2 * H, "2026-11-25 11:00"),
        # Before opening: the clock starts at 08:30.
        ("2026-11-25 07:00", 2 * H, "2026-11-25 10:30"),
        # Friday evening + 2h → Monday morning.
        ("2026-11-06 18:00", 2 * H, "2026-11-09 10:30"),
        # Friday 16:15 + 2h: one hour on Friday, one on Monday.
        ("2026-11-06 16:15", 2 * H, "2026-11-09 09:30"),
        # Time running out exactly at closing continues at the next opening.
        ("2026-11-25 15:15", 2 * H, "2026-11-26 08:30"),
        # Across 文化の日 (Tue 2026-11-03): Monday 16:15 + 2h → Wednesday 09:30.
        ("2026-11-02 16:15", 2 * H, "2026-11-04 09:30"),
        # Starting on the holiday itself.
        ("2026-11-03 10:00", 1 * H, "2026-11-04 09:30"),
        # 年末年始: Monday 12/28 16:15 + 2h → Monday 2027-01-04 09:30 (12/29–1/3 closed).
        ("2026-12-28 16:15", 2 * H, "2027-01-04 09:30"),
        # 勤労感謝の日 (Mon 11/23) after a weekend: Friday 17:00 + 1h → Tuesday 09:15.
        ("2026-11-20 17:00", 1 * H, "2026-11-24 09:15"),
        # A full business day is 8h45m.
        ("2026-11-25 08:30", timedelta(hours=8, minutes=45), "2026-11-26 08:30"),
        # Zero from outside business hours: the next business moment.
        ("2026-11-07 12:00", timedelta(0), "2026-11-09 08:30"),
    ],
)
def test_add_business_time(start, duration, expected):
    assert CAL.add_business_time(jst(start), duration) == jst(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-11-25 09:00", "2026-11-25 10:00", H),
        ("2026-11-06 17:00", "2026-11-09 09:30", timedelta(hours=1, minutes=15)),
        ("2026-11-02 08:30", "2026-11-04 08:30", timedelta(hours=8, minutes=45)),
        ("2026-12-28 00:00", "2027-01-04 23:00", 2 * timedelta(hours=8, minutes=45)),
        ("2026-11-25 10:00", "2026-11-25 09:00", timedelta(0)),
        ("2026-11-07 10:00", "2026-11-08 18:00", timedelta(0)),
    ],
)
def test_business_time_between(a, b, expected):
    assert CAL.business_time_between(jst(a), jst(b)) == expected


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        ("2026-11-25 10:00", "2026-11-25 10:00"),
        ("2026-11-25 22:00", "2026-11-26 08:30"),  # a reminder due at 22:00 waits
        ("2026-11-25 17:15", "2026-11-26 08:30"),  # closing time is not business time
        ("2026-11-25 08:29", "2026-11-25 08:30"),
        ("2026-11-07 10:00", "2026-11-09 08:30"),  # Saturday
        ("2026-11-02 20:00", "2026-11-04 08:30"),  # the evening before 文化の日
        ("2026-12-28 18:00", "2027-01-04 08:30"),  # 年末年始
        ("2026-12-31 10:00", "2027-01-04 08:30"),
    ],
)
def test_next_business_moment(t, expected):
    assert CAL.next_business_moment(jst(t)) == jst(expected)


def test_holidays_come_from_the_package_in_japanese():
    assert CAL.holiday_name(date(2026, 11, 3)) == "文化の日"
    assert CAL.closed_reason(date(2026, 11, 3)) == "文化の日"
    assert CAL.closed_reason(date(2026, 12, 30)) == "閉庁日"
    assert CAL.closed_reason(date(2026, 11, 7)) == "休日"
    assert CAL.closed_reason(date(2026, 11, 4)) is None
    # A substitute holiday the package knows about: 2026-05-06 (振替休日).
    assert not CAL.is_business_day(date(2026, 5, 6))


def test_input_in_utc_gives_the_same_answer():
    start = jst("2026-11-06 18:00").astimezone(UTC)
    assert CAL.add_business_time(start, 2 * H) == jst("2026-11-09 10:30")


def test_configurable_hours_days_and_zone():
    cal = BusinessCalendar(
        zone=ZoneInfo("Europe/Berlin"),
        opens=time(9),
        closes=time(12),
        weekdays=parse_weekdays(["mon", "sat"]),
        closed=ClosedDays(("2026-11-09",)),
        country="JP",
    )
    # Saturday 11:00 Berlin + 2h → 1h Saturday, Monday 11-09 closed, next Saturday 10:00.
    start = datetime(2026, 11, 7, 11, tzinfo=ZoneInfo("Europe/Berlin"))
    assert cal.add_business_time(start, 2 * H) == datetime(
        2026, 11, 14, 10, tzinfo=ZoneInfo("Europe/Berlin")
    )


@pytest.mark.parametrize(
    ("specs", "day", "closed"),
    [
        (("12-29..01-03",), date(2026, 12, 29), True),
        (("12-29..01-03",), date(2027, 1, 3), True),
        (("12-29..01-03",), date(2027, 1, 4), False),
        (("12-29..01-03",), date(2026, 12, 28), False),
        (("08-13..08-15",), date(2026, 8, 14), True),
        (("2026-11-27",), date(2026, 11, 27), True),
        (("2026-11-27",), date(2027, 11, 27), False),
        (("2026-11-26..2026-11-27",), date(2026, 11, 26), True),
    ],
)
def test_closed_days(specs, day, closed):
    assert (day in ClosedDays(specs)) is closed


@pytest.mark.parametrize("spec", ["12/29", "13-01", "02-30", "2026-11-27..2026-11-01", "x"])
def test_bad_closed_days_are_refused(spec):
    with pytest.raises(ValueError):
        ClosedDays((spec,))


def test_properties_on_random_moments():
    """add / between / subtract agree with each other on many random inputs."""
    rng = random.Random(20261125)
    base = jst("2026-10-01 00:00")
    for _ in range(400):
        start = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 120))
        duration = timedelta(minutes=rng.randrange(0, 60 * 40))
        end = CAL.add_business_time(start, duration)
        assert CAL.is_business_moment(end)
        assert end >= start
        assert CAL.business_time_between(start, end) == duration
        # The cutoff is the latest moment from which ``duration`` has passed by ``end``.
        cutoff = CAL.subtract_business_time(start, duration)
        assert CAL.business_time_between(cutoff, start) >= duration
        later = cutoff + timedelta(minutes=1)
        if duration:
            assert CAL.business_time_between(later, start) < duration
