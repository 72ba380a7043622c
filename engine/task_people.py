"""Who a ready user task is offered to: its roles (lane or ``camunda:candidateGroups``) and the
users it names (``camunda:assignee`` / ``camunda:candidateUsers``, expressions evaluated then)."""

from __future__ import annotations

import logging
import re

from .parser import role_code

log = logging.getLogger(__name__)
_EXPRESSION = re.compile(r"^\$\{(.*)\}$", re.DOTALL)


def task_roles(task_spec) -> list[str]:
    groups = list(getattr(task_spec, "candidate_groups", None) or [])
    if groups:
        return groups
    lane_role = role_code(task_spec.lane)
    return [lane_role] if lane_role else []


def _named(task, text: str) -> list[str]:
    """One ``camunda:assignee`` / ``candidateUsers`` entry: a username, or ``${expression}``
    evaluated against the task data (a string or a list of strings; nothing when it fails)."""
    found = _EXPRESSION.match(text.strip())
    if found is None:
        return [text.strip()] if text.strip() else []
    try:
        value = task.workflow.script_engine.evaluate(task, found.group(1))
    except Exception:  # noqa: BLE001 - a missing key offers the task to its roles only
        log.warning("%s: %r names nobody in this task's data", task.task_spec.bpmn_id, text)
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    return [str(v).strip() for v in values if isinstance(v, str) and v.strip()]


def task_users(task) -> tuple[str | None, list[str]]:
    """(the assignee, every user the task is offered to by name) for a ready user task."""
    spec = task.task_spec
    assignee_text = getattr(spec, "assignee", None)
    assignees = _named(task, assignee_text) if assignee_text else []
    users = list(assignees[:1])
    for entry in getattr(spec, "candidate_users", None) or ():
        users += [u for u in _named(task, entry) if u not in users]
    return (assignees[0] if assignees else None), users
