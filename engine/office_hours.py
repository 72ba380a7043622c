"""Office hours: deadlines and durations counted in working minutes, not wall-clock minutes.

A step's ``standard_minutes`` is work the office does while it is open. The office is open
during the hours of ``LAKSANA_OFFICE_HOURS`` (``Settings().office_hours``, default
``mon-thu 07:30-16:00; fri 07:30-16:30``) on its working days (``engine.calendar``: Monday to
Friday minus national holidays and cuti bersama), in its time zone (WIB, ``engine.clock``).
So a 5-minute step that arrives at 04:24 is due at 07:35; one that arrives at 15:58 on a
Thursday is due at 07:33 on Friday; one that arrives on Friday at 16:20 and is done on Monday at
07:40 took 20 office minutes (10 before Friday's closing at 16:30, 10 after Monday's opening).

The setting is a ``;``-separated list of ``DAYS HH:MM-HH:MM[,HH:MM-HH:MM...]`` items: DAYS is a
day (``mon`` ... ``sun``), a range (``mon-thu``) or a comma list (``mon,wed``); several ranges
of hours give a break (``mon-thu 07:30-12:00,13:00-16:00``). Days not named are closed. A
weekend day named here is still closed: the working calendar decides which days the office
works, the setting only when it is open on them.

Naive datetimes are taken as UTC, like everywhere in the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache

from .calendar import WorkingCalendar, parse_moment
from .clock import OFFICE_TZ, engine_now
from .config import DEFAULT_OFFICE_HOURS, Settings, _env, _env_or_none

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EXAMPLE = f'contoh: "{DEFAULT_OFFICE_HOURS}"'
#: a guard against endless scans on a calendar with (almost) no working day
_MAX_SCAN_DAYS = 3660

#: per weekday (Monday = 0): the open periods as (start, end) minutes after midnight
WeeklyHours = tuple[tuple[tuple[int, int], ...], ...]


class OfficeHoursError(ValueError):
    """LAKSANA_OFFICE_HOURS is not a list of days and hours the engine can read."""


def _refuse(value: str, reason: str) -> OfficeHoursError:
    return OfficeHoursError(f"LAKSANA_OFFICE_HOURS '{value}' tidak sah: {reason} ({_EXAMPLE})")


def _day_index(name: str, value: str) -> int:
    try:
        return DAY_NAMES.index(name.strip().lower())
    except ValueError:
        raise _refuse(
            value, f"'{name}' bukan nama hari (mon, tue, wed, thu, fri, sat, sun)"
        ) from None


def _days(text: str, value: str) -> list[int]:
    days: list[int] = []
    for item in text.split(","):
        if "-" in item:
            first, _, last = item.partition("-")
            start, end = _day_index(first, value), _day_index(last, value)
            if end < start:
                raise _refuse(value, f"rentang hari '{item}' terbalik")
            days.extend(range(start, end + 1))
        else:
            days.append(_day_index(item, value))
    return days


def _minute_of_day(text: str, value: str) -> int:
    hours, sep, minutes = text.partition(":")
    if (
        not sep
        or not (hours.isdigit() and minutes.isdigit())
        or len(minutes) != 2
        or not 1 <= len(hours) <= 2
    ):
        raise _refuse(value, f"'{text}' bukan jam HH:MM")
    total = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or total > 24 * 60:
        raise _refuse(value, f"'{text}' bukan jam HH:MM")
    return total


def _periods(text: str, value: str) -> list[tuple[int, int]]:
    periods = []
    for item in text.replace(" ", ",").split(","):
        if not item:
            continue
        first, sep, last = item.partition("-")
        if not sep:
            raise _refuse(value, f"'{item}' bukan rentang jam HH:MM-HH:MM")
        start, end = _minute_of_day(first, value), _minute_of_day(last, value)
        if end <= start:
            raise _refuse(value, f"jam tutup pada '{item}' tidak sesudah jam buka")
        periods.append((start, end))
    return periods


@lru_cache(maxsize=16)
def parse_office_hours(value: str) -> WeeklyHours:
    """The open periods of each weekday; raises ``OfficeHoursError`` (one line) when malformed."""
    week: list[list[tuple[int, int]]] = [[] for _ in DAY_NAMES]
    named: set[int] = set()
    for item in value.split(";"):
        item = item.strip()
        if not item:
            continue
        days_text, _, hours_text = item.partition(" ")
        if not hours_text.strip():
            raise _refuse(value, f"'{item}' tidak menyebut jam buka")
        days = _days(days_text, value)
        periods = _periods(hours_text.strip(), value)
        for day in days:
            if day in named:
                raise _refuse(value, f"hari {DAY_NAMES[day]} disebut dua kali")
            named.add(day)
            week[day] = sorted(periods)
    for day, periods in enumerate(week):
        for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
            if start < end:
                raise _refuse(value, f"jam pada hari {DAY_NAMES[day]} saling tumpang tindih")
    if not any(week[day] for day in range(5)):
        raise _refuse(value, "tidak ada jam buka pada hari kerja (Senin-Jumat)")
    return tuple(tuple(periods) for periods in week)


#: seconds from UTC to office time (WIB has no daylight saving)
_OFFSET = OFFICE_TZ.utcoffset(None).total_seconds()
_EPOCH = datetime(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_DAY = 86400


def _local_seconds(moment: datetime) -> float:
    """Seconds since 1970-01-01 00:00 on the office's clock; a naive datetime is UTC."""
    if moment.tzinfo is None:  # the store's values: the cheaper path
        return (moment - _EPOCH).total_seconds() + _OFFSET
    return moment.timestamp() + _OFFSET


@dataclass
class OfficeHours:
    """When the office is open: weekly hours on the working days of a calendar.

    Moments are counted as seconds on the office's clock (``_local_seconds``), and each day's
    open periods are kept once computed: the dashboard counts the minutes of many thousands of
    steps."""

    weekly: WeeklyHours
    calendar: WorkingCalendar
    _days: dict[int, tuple[tuple[float, float], ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_setting(cls, value: str, calendar: WorkingCalendar) -> OfficeHours:
        return cls(parse_office_hours(value), calendar)

    def _periods(self, day_index: int) -> tuple[tuple[float, float], ...]:
        """The open periods of a day (days since 1970-01-01, office time) in local seconds."""
        found = self._days.get(day_index)
        if found is None:
            day = date.fromordinal(_EPOCH_ORDINAL + day_index)
            midnight = day_index * _DAY
            found = (
                tuple(
                    (float(midnight + start * 60), float(midnight + end * 60))
                    for start, end in self.weekly[day.weekday()]
                )
                if self.calendar.is_working_day(day)
                else ()
            )
            if len(self._days) > 4096:
                self._days.clear()
            self._days[day_index] = found
        return found

    @staticmethod
    def _moment(local_seconds: float) -> datetime:
        return datetime.fromtimestamp(local_seconds - _OFFSET, timezone.utc)

    def add_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` office minutes after ``start`` (in UTC).

        Time outside the office's hours does not count: a start before opening counts from the
        opening, a remainder left at closing goes on at the next opening of a working day."""
        if minutes < 0:
            raise ValueError("the number of office minutes must not be negative")
        at = _local_seconds(start)
        remaining = minutes * 60
        first_day = int(at // _DAY)
        for day_index in range(first_day, first_day + _MAX_SCAN_DAYS):
            for opens, closes in self._periods(day_index):
                if closes <= at:
                    continue
                begin = max(opens, at)
                if remaining <= closes - begin:
                    return self._moment(begin + remaining)
                remaining -= closes - begin
        raise ValueError(f"no office hours found within {_MAX_SCAN_DAYS} days after {start}")

    def minutes_between(self, a: datetime, b: datetime) -> float:
        """Office minutes from ``a`` to ``b`` (0 when ``b`` is not after ``a``)."""
        first, last = _local_seconds(a), _local_seconds(b)
        if last <= first:
            return 0.0
        total = 0.0
        first_day, last_day = int(first // _DAY), int(last // _DAY)
        days = self._days
        for day_index in range(first_day, last_day + 1):
            periods = days.get(day_index)
            for opens, closes in periods if periods is not None else self._periods(day_index):
                overlap = (closes if closes < last else last) - (opens if opens > first else first)
                if overlap > 0:
                    total += overlap
        return total / 60


@lru_cache(maxsize=8)
def _office_hours_for(hours: str, cuti_bersama: str | None) -> OfficeHours:
    return OfficeHours.from_setting(hours, WorkingCalendar.from_setting(cuti_bersama))


def default_office_hours(settings: Settings | None = None) -> OfficeHours:
    """The office hours of the configuration (rebuilt when LAKSANA_OFFICE_HOURS or
    LAKSANA_CUTI_BERSAMA changes)."""
    if settings is None:  # the two variables alone: building Settings() costs ~0.3 ms a call
        return _office_hours_for(
            _env("OFFICE_HOURS", DEFAULT_OFFICE_HOURS), _env_or_none("CUTI_BERSAMA")
        )
    return _office_hours_for(settings.office_hours, settings.cuti_bersama)


def office_minutes_after(start: datetime, minutes: float) -> datetime:
    """``start`` plus ``minutes`` office minutes, in the current configuration."""
    return default_office_hours().add_minutes(start, minutes)


def office_minutes_between(a: datetime, b: datetime) -> float:
    return default_office_hours().minutes_between(a, b)


def office_minutes_deadline(start: datetime | str, minutes: int) -> str:
    """For timer expressions (``timeDate``): ISO UTC text of ``minutes`` office minutes after
    ``start`` (a moment of the task data)."""
    return office_minutes_after(parse_moment(start), float(minutes)).isoformat()


def office_minutes_from_now(minutes: int) -> str:
    """For timer expressions (``timeDate``): ISO UTC text of ``minutes`` office minutes after the
    engine's present moment (the time of the action or ``tick`` that reaches the timer)."""
    return office_minutes_after(engine_now(), float(minutes)).isoformat()
