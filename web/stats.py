"""Dashboard figures from the audit log: step durations against the standard, open work, weekly intake.

A human task's duration is its ``completed`` time minus the time it became
ready: the previous ``started``/``completed`` entry of the same instance (the
same rule as the instance timeline). Computed with a window function over the
instances started in the chosen period, then summarised in Python.
"""

from __future__ import annotations

import math
import time as clock
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select

from engine.models import AuditEntry, HumanTask, ProcessDefinition, ProcessInstance

from . import bpmn_info
from .i18n import to_wib

CACHE_SECONDS = 60
_cache: dict[tuple, tuple[float, object]] = {}


@dataclass
class StepStat:
    process_id: str
    element_id: str
    name: str
    sop_step: str | None
    standard: float | None
    count: int
    median: float
    p90: float
    within: float | None  # share (0..1) done within the standard minutes

    @property
    def level(self) -> int:
        """1 within the standard, 2 up to half again as long, 3 beyond (heat map colour)."""
        if not self.standard:
            return 1
        ratio = self.median / self.standard
        return 1 if ratio <= 1 else (2 if ratio <= 1.5 else 3)


@dataclass
class OpenWork:
    process_id: str
    element_id: str
    name: str
    role: str
    count: int
    overdue: int


def percentile(sorted_values: list[float], share: float) -> float:
    """Linear interpolation between closest ranks (share in 0..1)."""
    if not sorted_values:
        return 0.0
    position = (len(sorted_values) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def _cached(key: tuple, compute):
    hit = _cache.get(key)
    if hit is not None and clock.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = compute()
    if len(_cache) > 64:
        _cache.clear()
    _cache[key] = (clock.monotonic(), value)
    return value


def _human_steps(session, process_id: str | None) -> dict[tuple[str, str], bpmn_info.ElementInfo]:
    """(process id, element id) -> info of every user task in any deployed version (latest wins)."""
    query = select(ProcessDefinition.process_id, ProcessDefinition.bpmn_xml).order_by(ProcessDefinition.version)
    if process_id:
        query = query.where(ProcessDefinition.process_id == process_id)
    steps = {}
    for pid, xml in session.execute(query):
        for info in bpmn_info.elements(xml).values():
            if info.human:
                steps[(pid, info.id)] = info
    return steps


def _durations(session, process_id: str | None, since: datetime, until: datetime) -> dict[tuple, list[float]]:
    previous = func.lag(AuditEntry.at).over(partition_by=AuditEntry.instance_id, order_by=(AuditEntry.at, AuditEntry.id))
    inner = (select(ProcessInstance.process_id, AuditEntry.element_id, AuditEntry.action, AuditEntry.at,
                    previous.label("ready_at"))
             .join(ProcessInstance, ProcessInstance.id == AuditEntry.instance_id)
             .where(AuditEntry.action.in_(("started", "completed")), ProcessInstance.started_at >= since,
                    ProcessInstance.started_at < until))
    if process_id:
        inner = inner.where(ProcessInstance.process_id == process_id)
    inner = inner.subquery()
    minutes = (func.julianday(inner.c.at) - func.julianday(inner.c.ready_at)) * 1440 \
        if session.get_bind().dialect.name == "sqlite" else func.extract("epoch", inner.c.at - inner.c.ready_at) / 60
    rows = session.execute(select(inner.c.process_id, inner.c.element_id, minutes)
                           .where(inner.c.action == "completed", inner.c.ready_at.is_not(None)))
    found: dict[tuple, list[float]] = defaultdict(list)
    for pid, element_id, value in rows:
        found[(pid, element_id)].append(max(float(value or 0), 0.0))
    return found


def step_stats(session, process_id: str | None, since: datetime, until: datetime) -> list[StepStat]:
    def compute():
        steps = _human_steps(session, process_id)
        durations = _durations(session, process_id, since, until)
        stats = []
        for key, info in steps.items():
            values = sorted(durations.get(key, []))
            if not values:
                continue
            within = (sum(v <= info.standard_minutes for v in values) / len(values)
                      if info.standard_minutes else None)
            stats.append(StepStat(key[0], info.id, info.name, info.sop_step, info.standard_minutes, len(values),
                                  percentile(values, 0.5), percentile(values, 0.9), within))
        return sorted(stats, key=lambda s: (s.process_id, int(s.sop_step) if (s.sop_step or "").isdigit() else 99))
    return _cached(("steps", str(session.connection().engine.url), process_id, since, until), compute)


def open_work(session, process_id: str | None, now: datetime) -> list[OpenWork]:
    late = func.sum(case((HumanTask.due_at < now, 1), else_=0))
    query = (select(HumanTask.process_id, HumanTask.element_id, HumanTask.name, HumanTask.role, func.count(), late)
             .group_by(HumanTask.process_id, HumanTask.element_id, HumanTask.name, HumanTask.role)
             .order_by(func.count().desc()))
    if process_id:
        query = query.where(HumanTask.process_id == process_id)
    return [OpenWork(*row[:4], int(row[4]), int(row[5] or 0)) for row in session.execute(query)]


def weekly_requests(session, process_id: str | None, weeks: int, today: date) -> list[tuple[date, int]]:
    """(Monday, requests started that week) for the last ``weeks`` weeks, oldest first, zeros included."""
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    query = select(ProcessInstance.started_at).where(
        ProcessInstance.started_at >= datetime.combine(first_monday, datetime.min.time()) - timedelta(hours=7))
    if process_id:
        query = query.where(ProcessInstance.process_id == process_id)
    counts: dict[date, int] = defaultdict(int)
    for (started,) in session.execute(query):
        day = to_wib(started).date()
        counts[day - timedelta(days=day.weekday())] += 1
    return [(first_monday + timedelta(weeks=i), counts.get(first_monday + timedelta(weeks=i), 0))
            for i in range(weeks)]
