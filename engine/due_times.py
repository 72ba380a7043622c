"""When an open user task is due (the ``due_at`` of its ``human_tasks`` row).

From the step's ``camunda:properties``: a deadline in working or calendar days
(``engine.calendar.step_deadline``), else its standard time in office minutes
(``engine.office_hours``).
"""

from __future__ import annotations

from datetime import datetime

from .calendar import step_deadline
from .office_hours import office_minutes_after


def standard_minutes(task_spec) -> int | None:
    value = (task_spec.extensions or {}).get("standard_minutes")
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def due_time(task_spec, ready_at: datetime, data: dict | None = None) -> datetime | None:
    """When a user task is due, from its ``camunda:properties``: ``deadline_working_days`` (office
    working days) or ``deadline_days`` (calendar days), counted from the data moment named by
    ``deadline_from`` or else from ``ready_at``; otherwise ``standard_minutes`` office minutes
    (``engine.office_hours``: only the office's hours on working days count) after ``ready_at``."""
    props = task_spec.extensions or {}
    deadline = step_deadline(props, data or {}, ready_at)
    if deadline is not None:
        return deadline
    minutes = standard_minutes(task_spec)
    return office_minutes_after(ready_at, minutes) if minutes else None
