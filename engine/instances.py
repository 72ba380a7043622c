"""Instance persistence: state JSON plus queryable columns, optimistic locking, a small cache.

Each engine action loads the instance row (its ``row_version``), takes the
workflow from the in-process cache when the cached copy is of that version, or
restores it from the state JSON otherwise, and saves it back in the same
transaction. SQLAlchemy's version counter makes the UPDATE conditional on the
version that was read, so of two concurrent completions exactly one commits.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .definitions import DefinitionRepository
from .models import HumanTask, ProcessInstance
from .parser import role_code
from .scripting import RestrictedScriptEngine
from .serialization import WorkflowCodec

#: Task-data keys copied into the instance's ``summary`` column for lists and search.
SUMMARY_KEYS = (
    "nomor_agenda", "instansi_pengirim", "nomor_surat", "perihal", "kode_pelacakan", "nomor_register",
    "kanal", "kategori", "unit_terlapor", "klasifikasi", "ringkasan", "status_pengaduan",
)


class WorkflowCache:
    """instance id -> (row_version, workflow). A workflow is taken out while in use."""

    def __init__(self, capacity: int = 512) -> None:
        self.capacity = capacity
        self._items: OrderedDict[int, tuple[int, BpmnWorkflow]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, instance_id: int, version: int) -> BpmnWorkflow | None:
        with self._lock:
            item = self._items.pop(instance_id, None)
        if item is not None and item[0] == version:
            return item[1]
        return None

    def put(self, instance_id: int, version: int, workflow: BpmnWorkflow) -> None:
        with self._lock:
            self._items[instance_id] = (version, workflow)
            self._items.move_to_end(instance_id)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def ready_user_tasks(workflow: BpmnWorkflow) -> list:
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def task_roles(task_spec) -> list[str]:
    groups = list(getattr(task_spec, "candidate_groups", None) or [])
    if groups:
        return groups
    lane_role = role_code(task_spec.lane)
    return [lane_role] if lane_role else []


def standard_minutes(task_spec) -> int | None:
    value = (task_spec.extensions or {}).get("standard_minutes")
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def current_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The instance's data as people think of it: that of the open tasks, else the last one."""
    ready = workflow.get_tasks(state=TaskState.READY)
    if ready:
        merged: dict[str, Any] = {}
        for task in ready:
            merged.update(task.data)
        return merged
    if workflow.last_task is not None:
        return dict(workflow.last_task.data)
    return dict(workflow.data)


def next_timer(workflow: BpmnWorkflow) -> datetime | None:
    deadlines = []
    for event in workflow.waiting_events():
        value = getattr(event, "value", None)
        if isinstance(value, str):
            try:
                deadlines.append(datetime.fromisoformat(value))
            except ValueError:
                continue
    return min(deadlines) if deadlines else None


class InstanceStore:
    def __init__(self, codec: WorkflowCodec, definitions: DefinitionRepository) -> None:
        self.codec = codec
        self.definitions = definitions
        self.cache = WorkflowCache()

    def new_workflow(self, session: Session, definition_id: int) -> BpmnWorkflow:
        spec, subprocess_specs = self.definitions.spec(session, definition_id)
        return BpmnWorkflow(spec, subprocess_specs, script_engine=RestrictedScriptEngine())

    def load(self, session: Session, row: ProcessInstance) -> BpmnWorkflow:
        workflow = self.cache.take(row.id, row.row_version)
        if workflow is None:
            spec, subprocess_specs = self.definitions.spec(session, row.definition_id)
            workflow = self.codec.state_from_json(row.state_json, spec, subprocess_specs)
        workflow.script_engine = RestrictedScriptEngine()
        return workflow

    def save(self, session: Session, row: ProcessInstance, workflow: BpmnWorkflow, now: datetime,
             status: str | None = None) -> None:
        row.state_json = self.codec.state_to_json(workflow)
        ready = ready_user_tasks(workflow)
        row.current_tasks = [t.task_spec.bpmn_id for t in ready]
        row.next_timer = next_timer(workflow)
        data = current_data(workflow)
        summary = {k: data[k] for k in SUMMARY_KEYS if k in data}
        if summary != (row.summary or {}):
            row.summary = summary
        title = data.get("perihal") or data.get("ringkasan")
        if title:
            row.title = str(title)[:255]
        if status is not None:
            row.status = status
        elif workflow.completed:
            row.status = "completed"
            row.ended_at = now
        self._sync_human_tasks(session, row, ready, now)

    def remember(self, row: ProcessInstance, workflow: BpmnWorkflow) -> None:
        """After a successful commit: keep the workflow for the next action on this instance."""
        self.cache.put(row.id, row.row_version, workflow)

    def _sync_human_tasks(self, session: Session, row: ProcessInstance, ready: list, now: datetime) -> None:
        existing = {h.id: h for h in session.scalars(select(HumanTask).where(HumanTask.instance_id == row.id))}
        ready_ids = {str(t.id) for t in ready}
        stale = [task_id for task_id in existing if task_id not in ready_ids]
        if stale:
            session.execute(delete(HumanTask).where(HumanTask.id.in_(stale)))
        for task in ready:
            if str(task.id) in existing:
                continue
            spec = task.task_spec
            roles = task_roles(spec)
            minutes = standard_minutes(spec)
            session.add(HumanTask(
                id=str(task.id), instance_id=row.id, process_id=row.process_id, element_id=spec.bpmn_id,
                name=spec.bpmn_name or spec.bpmn_id, role=roles[0] if roles else "", candidate_roles=roles,
                ready_at=now, due_at=now + timedelta(minutes=minutes) if minutes else None,
            ))
