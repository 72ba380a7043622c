"""Dashboard figures from the audit log: step durations against the standard, open work, weekly intake.

Read through ``BpmnEngine.statistics`` (a ``Statistics`` over the engine's store).

A human task's duration is the office minutes (``engine.office_hours``: only the
office's hours on working days count, as for ``standard_minutes``) from the time
it became ready to its ``completed`` time. It became ready at the previous
``started``/``completed`` entry of the same instance (the same rule as the
instance timeline), found in one pass over the audit log of the chosen period in
time order, then summarised in Python.
"""

from __future__ import annotations

import math
import time as clock
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.types import NullType

from . import bpmn_info
from .clock import OFFICE_TZ, office_date
from .db import Database
from .models import AuditEntry, HumanTask, ProcessDefinition, ProcessInstance
from .office_hours import default_office_hours

CACHE_SECONDS = 60
#: how far before the period the audit log is read, to find when its first steps became ready
LOOKBACK = timedelta(days=7)
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
        """1 within the standard, 2 up to half again as long, 3 beyond (heat map colour); 0 for a
        step without a standard time, which is neither on time nor late."""
        if not self.standard:
            return 0
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
    """(process id, element id) -> info of every user task in any deployed version (latest wins),
    in the order a request meets them (``bpmn_info.flow_order`` of the latest version)."""
    query = select(ProcessDefinition.process_id, ProcessDefinition.bpmn_xml).order_by(
        ProcessDefinition.version
    )
    if process_id:
        query = query.where(ProcessDefinition.process_id == process_id)
    steps = {}
    position: dict[tuple[str, str], int] = {}
    for pid, xml in session.execute(query):
        order = bpmn_info.flow_order(xml)
        for info in bpmn_info.elements(xml).values():
            if info.human:
                steps[(pid, info.id)] = info
                position[(pid, info.id)] = order.get(info.id, len(order))
    return dict(sorted(steps.items(), key=lambda item: (item[0][0], position[item[0]])))


def _durations(
    session, process_id: str | None, steps: set[str], since: datetime, until: datetime
) -> dict[tuple, list[float]]:
    """Office minutes of every human step completed in [since, until), by (process id, element id).

    One pass over the audit log in time order (its ``at`` index): the entry before a completion
    in the same instance is the moment the step became ready. Reading starts ``LOOKBACK`` before
    the period so that a step completed early in it still finds that moment.
    """
    raw_at = type_coerce(AuditEntry.at, NullType())  # the driver's value: no per-row conversion
    query = (
        select(AuditEntry.instance_id, AuditEntry.element_id, AuditEntry.action, raw_at)
        .where(
            AuditEntry.at >= since - LOOKBACK,
            AuditEntry.at < until,
            AuditEntry.action.in_(("started", "completed")),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    if process_id:
        query = query.where(AuditEntry.element_id.in_([*steps, process_id]))
    last_progress: dict[int, datetime] = {}
    found: dict[tuple, list[float]] = defaultdict(list)
    start = since.astimezone(timezone.utc).replace(tzinfo=None)
    hours = default_office_hours()
    for instance_id, element_id, action, stored in session.connection().execute(query):
        at = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)  # naive UTC
        ready = last_progress.get(instance_id)
        last_progress[instance_id] = at
        if action == "completed" and ready is not None and at >= start and element_id in steps:
            found[(process_id, element_id)].append(hours.minutes_between(ready, at))
    return found


def step_stats(session, process_id: str | None, since: datetime, until: datetime) -> list[StepStat]:
    def compute():
        steps = _human_steps(session, process_id)
        durations = _durations(session, process_id, {element for _, element in steps}, since, until)
        stats = []
        for key, info in steps.items():
            values = sorted(durations.get(key, []))
            if not values:
                continue
            within = (
                sum(v <= info.standard_minutes for v in values) / len(values)
                if info.standard_minutes
                else None
            )
            stats.append(
                StepStat(
                    key[0],
                    info.id,
                    info.name,
                    info.sop_step,
                    info.standard_minutes,
                    len(values),
                    percentile(values, 0.5),
                    percentile(values, 0.9),
                    within,
                )
            )
        return stats  # in the order of ``_human_steps``: the steps' order in the diagram

    return _cached(("steps", str(session.get_bind().url), process_id, since, until), compute)


def open_work(session, process_id: str | None, now: datetime) -> list[OpenWork]:
    late = func.sum(case((HumanTask.due_at < now, 1), else_=0))
    query = (
        select(
            HumanTask.process_id,
            HumanTask.element_id,
            HumanTask.name,
            HumanTask.role,
            func.count(),
            late,
        )
        .group_by(HumanTask.process_id, HumanTask.element_id, HumanTask.name, HumanTask.role)
        .order_by(func.count().desc())
    )
    if process_id:
        query = query.where(HumanTask.process_id == process_id)
    return [
        OpenWork(
            process_id=row[0],
            element_id=row[1],
            name=row[2],
            role=row[3],
            count=int(row[4]),
            overdue=int(row[5] or 0),
        )
        for row in session.execute(query)
    ]


def weekly_requests(
    session, process_id: str | None, weeks: int, today: date
) -> list[tuple[date, int]]:
    """(Monday, requests started that week) for the last ``weeks`` weeks, oldest first, zeros included.

    Instance ids grow with their start, so the scan begins at the first instance the audit log's
    time index shows active in the period (the start time is still checked).
    """
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = datetime.combine(first_monday, time.min, OFFICE_TZ)
    first_id = session.scalar(
        select(AuditEntry.instance_id)
        .where(AuditEntry.at >= since)
        .order_by(AuditEntry.at)
        .limit(1)
    )
    counts: dict[date, int] = defaultdict(int)
    if first_id is not None:
        # the process is checked here, not in SQL: SQLite would pick the process index over the id range
        query = select(ProcessInstance.process_id, ProcessInstance.started_at).where(
            ProcessInstance.id >= first_id, ProcessInstance.started_at >= since
        )
        for pid, started in session.execute(query):
            if process_id and pid != process_id:
                continue
            day = office_date(started)
            counts[day - timedelta(days=day.weekday())] += 1
    return [
        (first_monday + timedelta(weeks=i), counts.get(first_monday + timedelta(weeks=i), 0))
        for i in range(weeks)
    ]


def instances_per_process(session) -> dict[str, int]:
    return dict(
        session.execute(
            select(ProcessInstance.process_id, func.count()).group_by(ProcessInstance.process_id)
        ).all()
    )


class Statistics:
    """The dashboard's figures, each read in a session of its own on the engine's store."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def step_stats(
        self, process_id: str | None, since: datetime, until: datetime
    ) -> list[StepStat]:
        with self.db.Session() as session:
            return step_stats(session, process_id, since, until)

    def open_work(self, process_id: str | None, now: datetime) -> list[OpenWork]:
        with self.db.Session() as session:
            return open_work(session, process_id, now)

    def weekly_requests(
        self, process_id: str | None, weeks: int, today: date
    ) -> list[tuple[date, int]]:
        with self.db.Session() as session:
            return weekly_requests(session, process_id, weeks, today)

    def instances_per_process(self) -> dict[str, int]:
        with self.db.Session() as session:
            return instances_per_process(session)
