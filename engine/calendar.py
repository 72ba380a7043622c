"""Working days of the office: Monday to Friday, minus national holidays and cuti bersama.

National holidays come from the ``holidays`` package (``holidays.Indonesia``,
category "public"). Cuti bersama (joint leave days decreed each year by the
SKB of three ministers) are the office's choice, configured with
``LAKSANA_CUTI_BERSAMA`` (``Settings().cuti_bersama``): a comma- or
space-separated list whose items are ISO dates (``2026-03-20``), paths of text
files holding one ISO date per line (``#`` starts a comment), or the word
``bawaan`` for the package's own list of joint holidays (category "government").

Days are counted in the office's time zone (WIB, UTC+7, no daylight saving).
``add_working_days(start, n)`` gives the same time of day on the n-th working
day after the day of ``start``: a complaint received on Friday 10:00 with a
limit of 3 working days is due on Wednesday 10:00; one received on a Saturday
is due on the Wednesday too (the count starts with the next working day).
Naive datetimes are taken as UTC, like everywhere in the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays

from .clock import OFFICE_TZ, office_date
from .config import Settings

#: The word in LAKSANA_CUTI_BERSAMA that adds the ``holidays`` package's joint holidays.
PACKAGE_JOINT_HOLIDAYS = "bawaan"
#: A guard against endless loops on absurd calendars (every day off).
_MAX_SCAN_DAYS = 3660


class CalendarConfigError(ValueError):
    """LAKSANA_CUTI_BERSAMA names something that is neither a date nor a readable file."""


def _dates_in_file(path: Path) -> set[date]:
    found = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            found.add(date.fromisoformat(text))
        except ValueError:
            raise CalendarConfigError(
                f"{path}:{number}: '{text}' is not an ISO date (YYYY-MM-DD)"
            ) from None
    return found


def parse_cuti_bersama(value: str | None) -> tuple[frozenset[date], bool]:
    """(the configured cuti bersama dates, whether the package's joint holidays are wanted)."""
    dates: set[date] = set()
    use_package = False
    for item in (value or "").replace(",", " ").split():
        if item.lower() == PACKAGE_JOINT_HOLIDAYS:
            use_package = True
            continue
        try:
            dates.add(date.fromisoformat(item))
            continue
        except ValueError:
            pass
        path = Path(item)
        if not path.is_file():
            raise CalendarConfigError(
                f"cuti bersama: '{item}' is neither an ISO date nor a readable file"
            )
        dates |= _dates_in_file(path)
    return frozenset(dates), use_package


def _indonesia(category: str) -> holidays.HolidayBase:
    """Indonesian holidays of one category, named in Bahasa Indonesia; years are added as asked."""
    return holidays.Indonesia(categories=(category,), language="id")


@dataclass
class WorkingCalendar:
    """Which days the office works; cuti bersama are extra days off."""

    cuti_bersama: frozenset[date] = frozenset()
    include_package_joint_holidays: bool = False
    _public: holidays.HolidayBase = field(default_factory=lambda: _indonesia("public"), repr=False)
    _joint: holidays.HolidayBase = field(
        default_factory=lambda: _indonesia("government"), repr=False
    )

    @classmethod
    def from_setting(cls, value: str | None) -> WorkingCalendar:
        dates, use_package = parse_cuti_bersama(value)
        return cls(cuti_bersama=dates, include_package_joint_holidays=use_package)

    def day_off_reason(self, day: date) -> str | None:
        """Why the office is closed on ``day`` (None on a working day)."""
        if day.weekday() >= 5:
            return "akhir pekan"
        if day in self.cuti_bersama:
            return "cuti bersama"
        name = self._public.get(day)
        if name:
            return f"libur nasional ({name})"
        if self.include_package_joint_holidays and day in self._joint:
            return f"cuti bersama ({self._joint.get(day)})"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.day_off_reason(day) is None

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The n-th working day strictly after ``day`` (``day`` itself for n == 0)."""
        if n < 0:
            raise ValueError("the number of working days must not be negative")
        current, counted = day, 0
        for _ in range(_MAX_SCAN_DAYS + n):
            if counted == n:
                return current
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        raise ValueError(f"no {n} working days found after {day}: check the calendar")

    def add_working_days(self, start: datetime | date, n: int) -> datetime | date:
        """``start`` moved to the same office time of day on the n-th working day after its day."""
        if not isinstance(start, datetime):
            return self.nth_working_day_after(start, n)
        aware = start if start.tzinfo is not None else start.replace(tzinfo=timezone.utc)
        local = aware.astimezone(OFFICE_TZ)
        target = self.nth_working_day_after(local.date(), n)
        moved = datetime.combine(target, local.timetz())
        return moved.astimezone(aware.tzinfo)

    def working_days_between(self, a: datetime | date, b: datetime | date) -> int:
        """Working days after the day of ``a`` up to and including the day of ``b`` (negative if b < a)."""
        first = office_date(a) if isinstance(a, datetime) else a
        last = office_date(b) if isinstance(b, datetime) else b
        if last < first:
            return -self.working_days_between(last, first)
        return sum(
            1
            for offset in range(1, (last - first).days + 1)
            if self.is_working_day(first + timedelta(days=offset))
        )


@lru_cache(maxsize=8)
def _calendar_for(setting: str | None) -> WorkingCalendar:
    return WorkingCalendar.from_setting(setting)


def default_calendar(settings: Settings | None = None) -> WorkingCalendar:
    """The calendar of the current configuration (rebuilt when LAKSANA_CUTI_BERSAMA changes)."""
    return _calendar_for((settings or Settings()).cuti_bersama)


def add_working_days(start: datetime | date, n: int) -> datetime | date:
    return default_calendar().add_working_days(start, n)


def working_days_between(a: datetime | date, b: datetime | date) -> int:
    return default_calendar().working_days_between(a, b)


def parse_moment(value: datetime | str) -> datetime:
    """A datetime from task data (ISO text) or a datetime; naive means UTC."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        raise ValueError(f"not a date and time: {value!r}")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def working_days_deadline(start: datetime | str, n: int) -> str:
    """For timer expressions (``timeDate``): ISO UTC text of ``add_working_days(start, n)``."""
    due = add_working_days(parse_moment(start), int(n))
    assert isinstance(due, datetime)  # a datetime in, a datetime out
    return due.astimezone(timezone.utc).isoformat()


def days_deadline(start: datetime | str, n: int) -> str:
    """For timer expressions: ISO UTC text of ``start`` plus ``n`` calendar days."""
    return (parse_moment(start) + timedelta(days=int(n))).astimezone(timezone.utc).isoformat()


def step_deadline(
    properties: Mapping[str, Any], data: Mapping[str, Any], ready_at: datetime
) -> datetime | None:
    """When a step is due, from its ``camunda:properties``: ``deadline_working_days`` (office working
    days) or ``deadline_days`` (calendar days), counted from the task-data moment named by
    ``deadline_from`` (else from ``ready_at``). None when the step declares neither, or a value is
    unusable: the engine then falls back to ``standard_minutes``. Never raises."""
    start = ready_at
    source = data.get(properties.get("deadline_from") or "")
    if source:
        try:
            start = parse_moment(source)
        except (TypeError, ValueError):
            start = ready_at
    try:
        if properties.get("deadline_working_days") not in (None, ""):
            due = add_working_days(start, int(properties["deadline_working_days"]))
            return due if isinstance(due, datetime) else None
        if properties.get("deadline_days") not in (None, ""):
            return start + timedelta(days=int(properties["deadline_days"]))
    except (TypeError, ValueError):
        return None
    return None
