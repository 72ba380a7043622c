"""Instance persistence: state JSON plus queryable columns, optimistic locking, a small cache.

Each engine action loads the instance row (its ``row_version``), takes the
workflow from the in-process cache when the cached copy is of that version, or
restores it from the state JSON otherwise, and saves it back in the same
transaction. SQLAlchemy's version counter makes the UPDATE conditional on the
version that was read, so of two concurrent completions exactly one commits.

Saving also fills the queryable columns from what the workflow holds now
(``engine.workflow_scan``) and keeps the ``human_tasks`` rows of its open user
tasks in step, each with its due time (``engine.due_times``); the cache itself is
``engine.workflow_cache``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from .call_binding import CalledVersions, LaksanaWorkflow, definition_in_scope
from .compaction import compact
from .definitions import DefinitionRepository
from .due_times import due_time
from .models import HumanTask, ProcessInstance, User
from .scripting import RestrictedScriptEngine
from .serialization import WorkflowCodec
from .task_notices import announce_tasks, request_label
from .task_people import task_roles, task_users
from .workflow_cache import WorkflowCache
from .workflow_scan import completed_user_steps, current_data, next_timer, scan

#: statuses of an instance that takes no more actions
FINISHED = ("completed", "cancelled")
#: status of an instance an operator has put on hold: no task is offered, no timer fires
SUSPENDED = "suspended"


class StaleInstance(Exception):
    """The instance changed since it was read (another action committed first)."""


@dataclass
class InstanceRecord:
    """An instance row without its state: what the facade reads and writes on every action."""

    id: int
    definition_id: int
    process_id: str
    version: int
    status: str
    business_key: str | None
    title: str
    current_tasks: list
    next_timer: datetime | None
    started_at: datetime
    ended_at: datetime | None
    started_by: str | None
    summary: dict
    row_version: int
    #: ids of the READY user tasks as loaded (= its human_tasks rows); None when not known
    open_task_ids: set | None = None
    #: after a save: the same ids in the order of ``current_tasks``
    open_task_order: list | None = None


_RECORD_COLUMNS = [
    getattr(ProcessInstance, f.name)
    for f in fields(InstanceRecord)
    if f.name not in ("open_task_ids", "open_task_order")
]
_INSTANCES: Table = ProcessInstance.__table__  # type: ignore[assignment]
_HUMAN_TASKS: Table = HumanTask.__table__  # type: ignore[assignment]
# Statements built once: constructing them is a noticeable part of an action's cost.
_SELECT_RECORD = select(*_RECORD_COLUMNS).where(ProcessInstance.id == bindparam("iid"))
_SELECT_BY_KEY = (
    select(*_RECORD_COLUMNS)
    .where(ProcessInstance.business_key == bindparam("key"))
    .order_by(ProcessInstance.id)
    .limit(1)
)
_RECORD_LABELS = [c.label(f"rec_{c.key}") for c in _RECORD_COLUMNS]
_RECORD_KEYS_LABELS = [(c.key, f"rec_{c.key}") for c in _RECORD_COLUMNS]
_USER_ROLES = (
    select(User.roles)
    .where(User.username == bindparam("username"), User.active.is_(True))
    .scalar_subquery()
    .label("user_roles")
)
#: one round trip for an action on a task: the task, its instance and the acting user's roles
_SELECT_TASK_CONTEXT = (
    select(*_HUMAN_TASKS.columns, *_RECORD_LABELS, _USER_ROLES)
    .join(_INSTANCES, _INSTANCES.c.id == _HUMAN_TASKS.c.instance_id)
    .where(_HUMAN_TASKS.c.id == bindparam("tid"))
)
_SELECT_STATE = select(ProcessInstance.state_json).where(ProcessInstance.id == bindparam("iid"))
_SELECT_OPEN_IDS = select(_HUMAN_TASKS.c.id).where(_HUMAN_TASKS.c.instance_id == bindparam("iid"))
_DELETE_TASK = delete(_HUMAN_TASKS).where(
    _HUMAN_TASKS.c.id == bindparam("tid")
)  # executemany: no IN re-render
_INSERT_TASKS = insert(_HUMAN_TASKS)
_INSERT_INSTANCE = insert(_INSTANCES).returning(_INSTANCES.c.id)
_SAVE_FIELDS = (
    "state_json",
    "current_tasks",
    "next_timer",
    "summary",
    "title",
    "status",
    "ended_at",
    "row_version",
)
_UPDATE_INSTANCE = (
    update(_INSTANCES)
    .where(
        _INSTANCES.c.id == bindparam("iid"), _INSTANCES.c.row_version == bindparam("read_version")
    )
    .values({name: bindparam(name) for name in _SAVE_FIELDS})
)


class InstanceStore:
    def __init__(self, codec: WorkflowCodec, definitions: DefinitionRepository) -> None:
        self.codec = codec
        self.definitions = definitions
        self.cache = WorkflowCache()

    # -- rows
    def get(self, session: Session, instance_id: int) -> InstanceRecord | None:
        found = session.connection().execute(_SELECT_RECORD, {"iid": instance_id}).first()
        return InstanceRecord(**found._mapping) if found is not None else None

    def by_business_key(self, session: Session, key: str) -> InstanceRecord | None:
        found = session.connection().execute(_SELECT_BY_KEY, {"key": key}).first()
        return InstanceRecord(**found._mapping) if found is not None else None

    def task_context(self, session: Session, task_id: str, username: str):
        """(task row, instance record, roles of ``username`` or None) for an open task, or None."""
        found = (
            session.connection()
            .execute(_SELECT_TASK_CONTEXT, {"tid": task_id, "username": username})
            .first()
        )
        if found is None:
            return None
        values = found._mapping
        record = InstanceRecord(**{key: values[label] for key, label in _RECORD_KEYS_LABELS})
        roles = values["user_roles"]
        return found, record, (list(roles) if roles is not None else None)

    def create(
        self,
        session: Session,
        definition,
        now: datetime,
        user: str | None,
        business_key: str | None,
    ) -> InstanceRecord:
        values = dict(
            definition_id=definition.id,
            process_id=definition.process_id,
            version=definition.version,
            status="running",
            business_key=business_key,
            title=definition.name,
            current_tasks=[],
            next_timer=None,
            started_at=now,
            ended_at=None,
            started_by=user,
            summary={},
            row_version=1,
        )
        new_id = (
            session.connection()
            .execute(_INSERT_INSTANCE, {"state_json": "{}", **values})
            .scalar_one()
        )
        return InstanceRecord(id=new_id, open_task_ids=set(), **values)

    # -- workflows
    def called_versions(self, session: Session) -> CalledVersions:
        """What a call activity bound to the latest version asks, in this action's session."""
        return CalledVersions(
            latest_id=lambda process_id: self.definitions.latest_ref(session, process_id).id,
            specs=lambda definition_id: self.definitions.spec(session, definition_id),
        )

    def new_workflow(self, session: Session, definition_id: int) -> BpmnWorkflow:
        spec, subprocess_specs = self.definitions.spec(session, definition_id)
        workflow = LaksanaWorkflow(spec, subprocess_specs, script_engine=RestrictedScriptEngine())
        workflow.called_versions = self.called_versions(session)
        return workflow

    def load(self, session: Session, record: InstanceRecord) -> BpmnWorkflow:
        workflow = self.cache.take(record.id, record.row_version)
        called = self.called_versions(session)
        if workflow is None:
            state = session.connection().scalar(_SELECT_STATE, {"iid": record.id})
            spec, subprocess_specs = self.definitions.spec(session, record.definition_id)
            if state is None:
                raise StaleInstance(record.id)
            workflow = self.codec.state_from_json(state, spec, subprocess_specs, called.specs)
        workflow.script_engine = RestrictedScriptEngine()
        if isinstance(workflow, LaksanaWorkflow):
            workflow.called_versions = called
        record.open_task_ids = {str(t.id) for t in scan(workflow).ready_user}
        return workflow

    def save(
        self,
        session: Session,
        record: InstanceRecord,
        workflow: BpmnWorkflow,
        now: datetime,
        status: str,
    ) -> None:
        """Write state and columns if nobody else did since ``record`` was read; sync human tasks."""
        compact(workflow)
        ready = scan(workflow).ready_user
        data = current_data(workflow, ready)
        plan = self.definitions.summary_plan(session, record.definition_id)
        changes = {
            "state_json": self.codec.state_to_json(workflow),
            "current_tasks": [t.task_spec.bpmn_id for t in ready],
            "next_timer": next_timer(workflow),
            "summary": plan.summary(data),
            "title": plan.title(data, record.title),
            "status": status,
            "ended_at": now if status in FINISHED else record.ended_at,
            "row_version": record.row_version + 1,
        }
        result = session.connection().execute(
            _UPDATE_INSTANCE, {"iid": record.id, "read_version": record.row_version, **changes}
        )
        if result.rowcount != 1:
            raise StaleInstance(record.id)
        for key, value in changes.items():
            if key != "state_json":
                setattr(record, key, value)
        self._sync_human_tasks(session, record, [] if status == SUSPENDED else ready, now, workflow)

    def remember(self, record: InstanceRecord, workflow: BpmnWorkflow) -> None:
        """After a successful commit: keep the workflow for the next action on a running instance
        (a finished one takes no more actions; its history pages restore it from the JSON)."""
        if record.status not in FINISHED:
            self.cache.put(record.id, record.row_version, workflow)

    def _sync_human_tasks(
        self,
        session: Session,
        record: InstanceRecord,
        ready: list,
        now: datetime,
        workflow: BpmnWorkflow,
    ) -> None:
        existing = record.open_task_ids
        if existing is None:
            existing = set(session.connection().scalars(_SELECT_OPEN_IDS, {"iid": record.id}))
        ready_ids = {str(t.id) for t in ready}
        stale = [task_id for task_id in existing if task_id not in ready_ids]
        if stale:
            session.connection().execute(_DELETE_TASK, [{"tid": task_id} for task_id in stale])
        new_rows = []
        for task in ready:
            if str(task.id) in existing:
                continue
            spec = task.task_spec
            roles = task_roles(spec)
            assignee, users = task_users(task)
            new_rows.append(
                dict(
                    id=str(task.id),
                    instance_id=record.id,
                    process_id=record.process_id,
                    element_id=spec.bpmn_id,
                    name=spec.bpmn_name or spec.bpmn_id,
                    role=roles[0] if roles else "",
                    candidate_roles=roles,
                    shared=len(roles) > 1,
                    candidate_users=users,
                    named=bool(users),
                    step_definition_id=definition_in_scope(task.workflow),
                    ready_at=now,
                    due_at=due_time(spec, now, task.data),
                    claimed_by=assignee,
                    claimed_at=now if assignee else None,
                )
            )
        if new_rows:
            session.connection().execute(_INSERT_TASKS, new_rows)
            label = request_label(record.title, record.business_key)
            redone = completed_user_steps(workflow) & {row["element_id"] for row in new_rows}
            announce_tasks(session, record.id, label, new_rows, now, redone=redone)
        record.open_task_ids = ready_ids
        record.open_task_order = [str(t.id) for t in ready]
