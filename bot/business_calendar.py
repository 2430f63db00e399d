"""The business calendar reminders run on: office hours, weekdays, national holidays.

Japanese national holidays come from the maintained ``holidays`` package (never a hand-typed
list); days the office is closed on top of them (年末年始 12/29〜1/3 by default, as at most
city offices) are configuration. Business hours are half-open: with 08:30–17:15, 08:30 is a
business moment and 17:15 is not.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if TYPE_CHECKING:
    from bot.guideline.model import Guideline

log = logging.getLogger(__name__)

ZERO = timedelta(0)
# A business day must turn up within this many calendar days (guards a misconfiguration
# that closes every day, e.g. no weekdays at all, from looping forever).
_MAX_SEARCH_DAYS = 3 * 366

# 年末年始: most city offices are closed from 29 December to 3 January.
DEFAULT_CLOSED = ("12-29..01-03",)

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ClosedDays:
    """Extra closed days: ``MM-DD``, ``YYYY-MM-DD`` or ranges ``A..B`` of either form.

    A month-day range may wrap over the new year (``12-29..01-03``).
    """

    specs: tuple[str, ...] = ()
    _month_day_ranges: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = field(
        init=False, repr=False, compare=False
    )
    _date_ranges: tuple[tuple[date, date], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        md: list[tuple[tuple[int, int], tuple[int, int]]] = []
        full: list[tuple[date, date]] = []
        for spec in self.specs:
            first, _, last = spec.strip().partition("..")
            last = last or first
            if _FULL_DATE.match(first) and _FULL_DATE.match(last):
                a, b = date.fromisoformat(first), date.fromisoformat(last)
                if b < a:
                    raise ValueError(f"{spec!r}: the range ends before it starts")
                full.append((a, b))
                continue
            ma, mb = _MONTH_DAY.match(first), _MONTH_DAY.match(last)
            if not (ma and mb):
                raise ValueError(f"{spec!r}: expected MM-DD, YYYY-MM-DD or a range A..B")
            start = (int(ma[1]), int(ma[2]))
            end = (int(mb[1]), int(mb[2]))
            for month, day in (start, end):
                # 2000 is a leap year, so 02-29 is accepted.
                date(2000, month, day)
            md.append((start, end))
        object.__setattr__(self, "_month_day_ranges", tuple(md))
        object.__setattr__(self, "_date_ranges", tuple(full))

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        key = (day.month, day.day)
        for start, end in self._month_day_ranges:
            if start <= end:
                if start <= key <= end:
                    return True
            elif key >= start or key <= end:  # wraps over the new year
                return True
        return any(a <= day <= b for a, b in self._date_ranges)


@dataclass(frozen=True)
class BusinessCalendar:
    """Office hours in one time zone; every method takes and returns aware datetimes."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Tokyo"))
    opens: time = time(8, 30)
    closes: time = time(17, 15)
    weekdays: frozenset[int] = frozenset(range(5))  # Monday=0 … Friday=4
    closed: ClosedDays = field(default_factory=lambda: ClosedDays(DEFAULT_CLOSED))
    country: str = "JP"
    # What the city calls this time in messages (the guideline file's working_time_name).
    name: str = "勤務時間"

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError("business hours must open before they close")
        if not self.weekdays:
            raise ValueError("at least one business weekday is needed")

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        # Years are filled in lazily as dates are looked up.
        return holidays.country_holidays(self.country, language="ja")

    def holiday_name(self, day: date) -> str | None:
        """The national holiday on ``day`` (Japanese name), if any."""
        name = self._holidays.get(day)
        return str(name) if name else None

    def is_business_day(self, day: date) -> bool:
        """A configured weekday that is neither a national holiday nor an extra closed day."""
        return (
            day.weekday() in self.weekdays and day not in self._holidays and day not in self.closed
        )

    def _bounds(self, day: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.opens, self.zone),
            datetime.combine(day, self.closes, self.zone),
        )

    def is_business_moment(self, when: datetime) -> bool:
        """Whether ``when`` falls inside business hours on a business day."""
        local = _aware(when).astimezone(self.zone)
        if not self.is_business_day(local.date()):
            return False
        start, end = self._bounds(local.date())
        return start <= local < end

    def next_business_moment(self, when: datetime) -> datetime:
        """``when`` itself if it is a business moment, else the next opening time."""
        local = _aware(when).astimezone(self.zone)
        day = local.date()
        if self.is_business_day(day):
            start, end = self._bounds(day)
            if local < start:
                return start
            if local < end:
                return local
        for _ in range(_MAX_SEARCH_DAYS):
            day += timedelta(days=1)
            if self.is_business_day(day):
                return self._bounds(day)[0]
        raise ValueError("no business day within three years: check the calendar settings")

    def _previous_business_day(self, day: date) -> date:
        for _ in range(_MAX_SEARCH_DAYS):
            day -= timedelta(days=1)
            if self.is_business_day(day):
                return day
        raise ValueError("no business day within three years: check the calendar settings")

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of business time has passed since ``start``.

        The result is always a business moment: time that runs out exactly at closing
        continues at the next opening.
        """
        if duration < ZERO:
            raise ValueError("duration must not be negative")
        moment = self.next_business_moment(start)
        remaining = duration
        while True:
            end = self._bounds(moment.date())[1]
            available = end - moment
            if remaining < available:
                return moment + remaining
            remaining -= available
            moment = self.next_business_moment(end)

    def subtract_business_time(self, end: datetime, duration: timedelta) -> datetime:
        """The latest moment ``t`` with ``business_time_between(t, end) >= duration``.

        This turns "waiting longer than N business hours" into a plain timestamp
        comparison (``anchor <= cutoff``) that the database can evaluate for every item.
        """
        if duration < ZERO:
            raise ValueError("duration must not be negative")
        local = _aware(end).astimezone(self.zone)
        if duration == ZERO:
            return local
        day = local.date()
        if self.is_business_day(day):
            start, close = self._bounds(day)
            moment = min(max(local, start), close)
        else:
            day = self._previous_business_day(day)
            start, moment = self._bounds(day)
        remaining = duration
        while True:
            available = moment - start
            if remaining <= available:
                return moment - remaining
            remaining -= available
            day = self._previous_business_day(day)
            start, moment = self._bounds(day)

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Business time in ``[a, b)``; zero if ``b`` is not after ``a``."""
        a_local = _aware(a).astimezone(self.zone)
        b_local = _aware(b).astimezone(self.zone)
        if b_local <= a_local:
            return ZERO
        total = ZERO
        day = a_local.date()
        while day <= b_local.date():
            if self.is_business_day(day):
                start, end = self._bounds(day)
                lo, hi = max(start, a_local), min(end, b_local)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def hours_label(self) -> str:
        """Working hours in Japanese, e.g. 「平日 08:30〜17:15（日本時間、祝日・年末年始を除く）」."""
        if self.weekdays == frozenset(range(5)):
            days = "平日"
        else:
            days = "・".join("月火水木金土日"[d] for d in sorted(self.weekdays)) + "曜"
        zone = "日本時間" if self.zone.key == "Asia/Tokyo" else self.zone.key
        excluded = ["祝日"]
        if self.closed.specs == DEFAULT_CLOSED:
            excluded.append("年末年始")
        elif self.closed.specs:
            excluded.append("閉庁日")
        return (
            f"{days} {self.opens:%H:%M}〜{self.closes:%H:%M}（{zone}、{'・'.join(excluded)}を除く）"
        )

    def closed_reason(self, day: date) -> str | None:
        """Why ``day`` is not a business day (Japanese), or None if it is one."""
        name = self.holiday_name(day)
        if name:
            return name
        if day in self.closed:
            return "閉庁日"
        if day.weekday() not in self.weekdays:
            return "休日"
        return None


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("naive datetime given to the business calendar")
    return when


WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekdays(names: Iterable[str]) -> frozenset[int]:
    """``["mon", "tue"]`` → ``{0, 1}``; unknown names raise ValueError."""
    result: set[int] = set()
    for name in names:
        key = name.strip().lower()[:3]
        if key not in WEEKDAY_NAMES:
            raise ValueError(f"unknown weekday {name!r} (use mon, tue, wed, thu, fri, sat, sun)")
        result.add(WEEKDAY_NAMES.index(key))
    return frozenset(result)


# --- the office's calendar from the environment ---------------------------------------------

# The calendar is configured with the reminders' variables (REMINDER_TIMEZONE,
# REMINDER_BUSINESS_START, …): one definition of working hours for reminders and /check.
ENV_PREFIX = "REMINDER_"

StrList = Annotated[list[str], NoDecode]


class CalendarSettings(BaseSettings):
    """The business calendar's ``REMINDER_*`` variables (the reminder settings extend it)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    timezone: str = "Asia/Tokyo"
    business_start: str = "08:30"
    business_end: str = "17:15"
    business_days: StrList = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    # Closed on top of national holidays: MM-DD, YYYY-MM-DD or ranges A..B (comma separated).
    closed_days: StrList = Field(default_factory=lambda: list(DEFAULT_CLOSED))
    holiday_country: str = "JP"
    # How messages name working time (「勤務時間で約2時間」, 「勤務時間外のため」).
    working_time_name: str = Field(default="勤務時間", min_length=1)

    @field_validator("business_days", "closed_days", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"タイムゾーン {value!r} は存在しません（例: Asia/Tokyo）") from None
        return value

    @field_validator("business_start", "business_end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        _parse_time(value)
        return value

    @field_validator("business_days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        try:
            days = parse_weekdays(value)
        except ValueError:
            raise ValueError(f"曜日 {value!r} を解釈できません（mon, tue, … sun）") from None
        if not days:
            raise ValueError("業務日を1日以上指定してください")
        return value

    @field_validator("closed_days")
    @classmethod
    def _closed(cls, value: list[str]) -> list[str]:
        for spec in value:
            try:
                ClosedDays((spec,))
            except ValueError:
                raise ValueError(
                    f"閉庁日 {spec!r} を解釈できません（MM-DD、YYYY-MM-DD、または範囲 A..B）"
                ) from None
        return value

    @field_validator("holiday_country")
    @classmethod
    def _country(cls, value: str) -> str:
        try:
            holidays.country_holidays(value)
        except NotImplementedError:
            raise ValueError(
                f"holidays パッケージに国コード {value!r} の祝日がありません"
            ) from None
        return value

    @model_validator(mode="after")
    def _hours_order(self) -> CalendarSettings:
        if _parse_time(self.business_start) >= _parse_time(self.business_end):
            raise ValueError("業務開始時刻は終了時刻より前にしてください")
        return self

    def calendar(self) -> BusinessCalendar:
        """The business calendar these settings describe."""
        return _calendar(
            self.timezone,
            self.business_start,
            self.business_end,
            tuple(self.business_days),
            tuple(self.closed_days),
            self.holiday_country,
            self.working_time_name,
        )

    def for_guideline(self, guideline: Guideline, *, strict: bool = False) -> Self:
        """These settings under a guideline file: built-in default < file < explicit setting.

        Every setting the file writes (its ``calendar`` and ``reminders``) replaces the
        built-in default, unless the deployment set it explicitly (a ``REMINDER_*``
        variable, ``.env`` or a keyword argument: pydantic's ``model_fields_set``), which
        stays as the operator's override. Keys the settings class does not have are left
        out (a ``CalendarSettings`` takes only the calendar). The result remembers the same
        explicit settings, so it can be put under another file again.

        Values the settings refuse raise ``ValidationError`` with ``strict``; otherwise
        they are logged (field names only) and these settings are returned unchanged.
        """
        cal = guideline.calendar
        from_file: dict[str, Any] = {
            "business_start": cal.start,
            "business_end": cal.end,
            "business_days": list(cal.days),
            "holiday_country": cal.holidays,
            "closed_days": list(cal.closed_days),
            "working_time_name": cal.working_time_name,
            **guideline.reminders,
        }
        explicit = set(self.model_fields_set)
        fields = type(self).model_fields
        update = {
            k: v
            for k, v in from_file.items()
            if k in fields and k not in explicit and getattr(self, k) != v
        }
        if not update:
            return self
        try:
            merged = type(self).model_validate({**self.model_dump(), **update})
        except ValidationError as exc:
            if strict:
                raise
            names = sorted({str(e["loc"][0]) if e.get("loc") else "calendar" for e in exc.errors()})
            log.warning(
                "guideline %s: reminder/calendar values ignored (%s); using the deployment's",
                guideline.version,
                names,
            )
            return self
        return type(self).model_construct(_fields_set=explicit, **merged.model_dump())


def business_calendar(guideline: Guideline | None = None) -> BusinessCalendar:
    """The office's business calendar: the one definition of working hours.

    The ``REMINDER_*`` settings over the guideline file's ``calendar`` when ``guideline`` is
    given (the tenant's in force: ``for_guideline`` tells the precedence), else over the
    built-in defaults. Used by the reminders, snooze and /check (7(2)オ). A web process does
    not refuse to start over a bad calendar setting the way the worker does: it logs which
    variables are wrong and falls back to the defaults (then the file's values).
    """
    try:
        settings = CalendarSettings()
    except ValidationError as exc:
        variables = [
            ENV_PREFIX + (str(error["loc"][0]).upper() if error.get("loc") else "BUSINESS_START")
            for error in exc.errors()
        ]
        log.warning("business calendar settings ignored (%s); using the defaults", variables)
        settings = CalendarSettings.model_construct()
    if guideline is not None:
        settings = settings.for_guideline(guideline)
    return settings.calendar()


def _calendar(
    zone: str,
    opens: str,
    closes: str,
    days: tuple[str, ...],
    closed: tuple[str, ...],
    country: str,
    name: str,
) -> BusinessCalendar:
    # Not shared between calls: a calendar fills in its holidays lazily, which is not
    # thread-safe (the worker keeps one per plan and tenant's guideline).
    return BusinessCalendar(
        zone=ZoneInfo(zone),
        opens=_parse_time(opens),
        closes=_parse_time(closes),
        weekdays=parse_weekdays(days),
        closed=ClosedDays(closed),
        country=country,
        name=name,
    )


def _parse_time(value: str) -> time:
    try:
        hour, minute = value.strip().split(":")
        return time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"時刻は HH:MM で指定してください: {value!r}") from None
