"""The engine's clock, and SpiffWorkflow's timers made to follow it.

SpiffWorkflow's timer module calls ``datetime.now(timezone.utc)`` itself, so its
``datetime`` is replaced (once, at import) by a subclass whose ``now()`` returns
the engine's time while an engine step runs (tests, ``laksana tick --now``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone

from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

_REAL_DATETIME = spiff_timer.datetime
_engine_now: ContextVar[datetime | None] = ContextVar("laksana_engine_now", default=None)


def system_now() -> datetime:
    return datetime.now(timezone.utc)


Clock = Callable[[], datetime]

#: Banjarnegara is on Western Indonesian Time (WIB, UTC+7, no daylight saving).
OFFICE_TZ = timezone(timedelta(hours=7), "WIB")


def office_time(moment: datetime) -> datetime:
    """An instant on the office's clock; a naive datetime is taken as UTC (the store keeps UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(OFFICE_TZ)


def office_date(now: datetime) -> date:
    """The calendar date at the office for an instant."""
    return office_time(now).date()


class _EngineDatetime(_REAL_DATETIME):  # type: ignore[valid-type,misc]
    """SpiffWorkflow's timer module sees the engine's time while an engine step runs."""

    @classmethod
    def now(cls, tz=None):
        fixed = _engine_now.get()
        if fixed is None:
            return _REAL_DATETIME.now(tz)
        return fixed.astimezone(tz) if tz else fixed.replace(tzinfo=None)


spiff_timer.datetime = _EngineDatetime


def engine_now() -> datetime:
    """The engine's time: that of the action or ``tick`` under way, else the system's (UTC)."""
    fixed = _engine_now.get()
    return fixed if fixed is not None else system_now()


@contextmanager
def spiff_time(now: datetime) -> Iterator[None]:
    """Make SpiffWorkflow's timers see ``now`` (per thread / context, no global lock)."""
    token = _engine_now.set(now if now.tzinfo else now.replace(tzinfo=timezone.utc))
    try:
        yield
    finally:
        _engine_now.reset(token)
