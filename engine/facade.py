"""BpmnEngine: the one door to the workflow engine for the web app and the CLI.

Every action is one transaction together with its audit rows. Roles are
checked here, not only in the UI. Nothing of SpiffWorkflow leaves this module
but plain views (``engine.views``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .access import TaskAccess
from .accounts import Accounts
from .api_tokens import ApiTokens
from .clock import Clock, office_date, system_now
from .config import Settings
from .db import Database
from .definitions import DefinitionRepository, DeployResult
from .errors import Conflict, Forbidden, NotFound
from .forms import checked_start_data, validate_form
from .history import element_states, read_history
from .inbox import InboxFilters, InboxPage, inbox_page
from .instance_search import InstanceFilters, InstancePage, instance_page
from .instances import FINISHED, InstanceRecord, InstanceStore, StaleInstance, current_data, scan
from .messages import correlate_message
from .models import (
    HumanTask,
    Incident,
    ProcessDefinition,
    ProcessInstance,
    is_row_id,
)
from .runner import StepRunner, audit
from .running_numbers import fill_running_numbers
from .serialization import WorkflowCodec
from .services import ServiceRegistry
from .statistics import Statistics
from .users import active_roles, require_user
from .views import DefinitionView, HistoryEntry, IncidentView, InstanceView, TaskView

_OPEN_TASKS = select(*HumanTask.__table__.columns, ProcessInstance.definition_id).join(
    ProcessInstance, ProcessInstance.id == HumanTask.instance_id
)


class BpmnEngine(TaskAccess):
    def __init__(
        self,
        db: Database,
        services: ServiceRegistry,
        settings: Settings | None = None,
        clock: Clock = system_now,
    ) -> None:
        self.db = db
        self.services = services
        self.settings = settings or Settings()
        self.clock = clock
        self.codec = WorkflowCodec()
        self.definitions = DefinitionRepository(self.codec, services.topics)
        self.instances = InstanceStore(self.codec, self.definitions)
        #: the manager dashboard's figures (step durations against the standard, open work, intake)
        self.statistics = Statistics(db)
        #: people: signing in, the session's user, the administrators' user pages
        self.accounts = Accounts(db)
        #: personal API tokens (``Authorization: Bearer``), per user, revocable
        self.tokens = ApiTokens(db, clock)
        self._forms: dict[tuple[int, str], tuple[list, dict]] = {}

    # ------------------------------------------------------------------ deployment
    def validate(self, xml: bytes, filename: str = "diagram.bpmn"):
        with self.db.Session() as session:
            return self.definitions.validate(session, xml, filename)[1]

    def deploy(
        self, xml: bytes, filename: str, user: str | None = None, force: bool = False
    ) -> list[DeployResult]:
        with self.db.transaction() as session:
            return self.definitions.deploy(session, xml, filename, user, force)

    def deploy_path(self, path: str | Path, user: str | None = None) -> list[DeployResult]:
        path = Path(path)
        files = sorted(path.glob("*.bpmn")) if path.is_dir() else [path]
        if not files:
            raise NotFound(f"no .bpmn files in {path}")
        results: list[DeployResult] = []
        for file in files:
            if not file.exists():
                raise NotFound(f"no such file: {file}")
            results.extend(self.deploy(file.read_bytes(), file.name, user))
        return results

    def list_definitions(self) -> list[DefinitionView]:
        with self.db.transaction() as session:
            return [DefinitionView.of(d) for d in self.definitions.list(session)]

    def definition_xml(self, process_id: str, version: int | None = None) -> str:
        with self.db.transaction() as session:
            definition = (
                self.definitions.get(session, process_id, version)
                if version
                else self.definitions.latest(session, process_id)
            )
            return definition.bpmn_xml

    # ------------------------------------------------------------------ instances
    def start(
        self,
        process_id: str,
        data: dict[str, Any] | None = None,
        user: str | None = None,
        business_key: str | None = None,
    ) -> InstanceView:
        data = self._checked_start_data(data)
        now = self.clock()
        with self.db.transaction() as session:
            if user is not None and active_roles(session, user) is None:
                raise NotFound(f"unknown user '{user}'")
            definition = self.definitions.latest_ref(session, process_id)
            workflow = self.instances.new_workflow(session, definition.id)
            for task in workflow.get_tasks(state=TaskState.READY):
                task.data.update(data)
            row = self.instances.create(session, definition, now, user, business_key)
            audit(
                session,
                row,
                "started",
                actor=user,
                at=now,
                element_id=process_id,
                name=definition.name,
                data=data,
            )
            runner = StepRunner(session, row, workflow, self.services, self.settings, user, now)
            runner.run()
            self._save(session, row, workflow, now, user)
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    def instance(self, instance_id: int) -> InstanceView:
        with self.db.transaction() as session:
            return InstanceView.of(self._instance_row(session, instance_id))

    def instance_by_key(self, business_key: str) -> InstanceView | None:
        """The instance started with this business key (a request's tracking code), or None."""
        with self.db.Session() as session:
            row = self.instances.by_business_key(session, business_key)
            return InstanceView.of(row) if row is not None else None

    def instance_data(self, instance_id: int) -> dict[str, Any]:
        with self.db.transaction() as session:
            row = self._instance_row(session, instance_id)
            workflow = self.instances.load(session, row)
            data = current_data(workflow)
        self.instances.remember(row, workflow)
        return data

    def list_instances(
        self, status: str | None = None, process_id: str | None = None, limit: int | None = None
    ) -> list[InstanceView]:
        with self.db.transaction() as session:
            query = select(ProcessInstance).order_by(ProcessInstance.id.desc())
            if status:
                query = query.where(ProcessInstance.status == status)
            if process_id:
                query = query.where(ProcessInstance.process_id == process_id)
            if limit:
                query = query.limit(limit)
            return [InstanceView.of(r) for r in session.scalars(query)]

    def search_instances(self, filters: InstanceFilters | None = None) -> InstancePage:
        """Instances for the managers' list: filtered (process, status, start dates, text), newest first, paged."""
        with self.db.Session() as session:
            return instance_page(session, filters or InstanceFilters())

    def cancel(self, instance_id: int, user: str) -> InstanceView:
        now = self.clock()
        with self.db.transaction() as session:
            require_user(session, user)
            row = self._instance_row(session, instance_id)
            if row.status in FINISHED:
                raise Conflict(f"instance {instance_id} is already {row.status}")
            workflow = self.instances.load(session, row)
            workflow.cancel()
            audit(session, row, "cancelled", actor=user, at=now, element_id=row.process_id)
            self.instances.save(session, row, workflow, now, status="cancelled")
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    # ------------------------------------------------------------------ tasks
    def tasks(self, user: str | None = None, instance_id: int | None = None) -> list[TaskView]:
        """Open user tasks by due time: all of them, or those ``user`` may do (their roles, or claimed by them)."""
        with self.db.Session() as session:  # read-only: no transaction bookkeeping needed
            query = _OPEN_TASKS
            if instance_id is not None:
                if not is_row_id(instance_id):
                    return []
                query = query.where(HumanTask.instance_id == instance_id)
            roles: set[str] | None = None
            if user is not None:
                found = active_roles(session, user)
                if found is None:
                    raise NotFound(f"unknown user '{user}'")
                roles = set(found)
                query = query.where(
                    or_(
                        HumanTask.role.in_(roles),
                        HumanTask.claimed_by == user,
                        HumanTask.shared.is_(True),
                    )
                )
            views = []
            for human in session.connection().execute(
                query.order_by(HumanTask.due_at, HumanTask.ready_at)
            ):
                if roles is not None and not (roles & set(human.candidate_roles or [])):
                    continue
                if roles is not None and human.claimed_by not in (None, user):
                    continue
                views.append(self._task_view(session, human, human.definition_id))
            return views

    def inbox(self, user: str, filters: InboxFilters | None = None) -> InboxPage:
        """``user``'s open tasks as the inbox shows them: filtered, a page at a time, counted by step and role."""
        with self.db.Session() as session:
            roles = active_roles(session, user)
            if roles is None:
                raise NotFound(f"unknown user '{user}'")
            return inbox_page(session, user, tuple(roles), filters or InboxFilters(), self.clock())

    def task(self, task_id: str, user: str | None = None) -> TaskView:
        """One open task with its form (defaults filled from the data so far) and the data."""
        with self.db.transaction() as session:
            human = self._open_task(session, task_id)
            if user is not None:
                self._authorize(session, human, user, record=False)
            row = self._instance_row(session, human.instance_id)
            workflow = self.instances.load(session, row)
            spiff_task = workflow.get_task_from_id(UUID(task_id))
            view = self._task_view(session, human, row.definition_id)
            view.data = dict(spiff_task.data)
            for field in view.fields:
                if spiff_task.data.get(field.id) is not None:
                    field.default = spiff_task.data[field.id]
            self.instances.remember(row, workflow)
            return view

    def claim(self, task_id: str, user: str) -> TaskView:
        now = self.clock()
        with self.db.transaction() as session:
            human = self._open_task(session, task_id)
            self._authorize(session, human, user)
            if human.claimed_by and human.claimed_by != user:
                raise Conflict(f"task '{human.name}' is already claimed by {human.claimed_by}")
            human.claimed_by, human.claimed_at = user, now
            row = self._instance_row(session, human.instance_id)
            audit(
                session,
                row,
                "claimed",
                actor=user,
                at=now,
                element_id=human.element_id,
                name=human.name,
                task_id=human.id,
            )
            return self._task_view(session, human, row.definition_id)

    def unclaim(self, task_id: str, user: str) -> TaskView:
        now = self.clock()
        with self.db.transaction() as session:
            human = self._open_task(session, task_id)
            actor = require_user(session, user)
            is_admin = actor.has_role("admin")
            if human.claimed_by != user and not is_admin:
                self._check_roles(
                    human, user, list(actor.roles or [])
                )  # outsiders: refused and recorded
            if human.claimed_by is None:
                raise Conflict(f"task '{human.name}' is not claimed")
            if human.claimed_by != user and not is_admin:
                raise Forbidden(
                    f"task '{human.name}' is claimed by {human.claimed_by}, not by {user}"
                )
            human.claimed_by, human.claimed_at = None, None
            row = self._instance_row(session, human.instance_id)
            audit(
                session,
                row,
                "unclaimed",
                actor=user,
                at=now,
                element_id=human.element_id,
                name=human.name,
                task_id=human.id,
            )
            return self._task_view(session, human, row.definition_id)

    def complete(self, task_id: str, user: str, data: dict[str, Any] | None = None) -> InstanceView:
        now = self.clock()
        try:
            with self.db.transaction() as session:
                context = self.instances.task_context(session, str(task_id), user)
                if context is None:
                    raise self._completion_conflict(task_id, session)
                human, row, roles = context
                self._check_roles(human, user, roles)
                if human.claimed_by and human.claimed_by != user:
                    raise Conflict(f"task '{human.name}' is claimed by {human.claimed_by}")
                workflow = self.instances.load(session, row)
                spiff_task = workflow.get_task_from_id(UUID(task_id))
                if (
                    spiff_task is None
                    or spiff_task.state != TaskState.READY
                    or not spiff_task.task_spec.manual
                ):
                    conflict = self._completion_conflict(task_id, session)
                    raise (
                        conflict
                        if isinstance(conflict, Conflict)
                        else Conflict(f"task '{human.name}' is not open any more")
                    )
                fields = self._form_of(session, row.definition_id, human.element_id)[0]
                cleaned = validate_form(fields, data or {}, office_date(now))
                cleaned = fill_running_numbers(session, fields, cleaned, now)
                spiff_task.data.update(cleaned)
                audit(session, row, "completed", actor=user, at=now, task=spiff_task, data=cleaned)
                StepRunner(session, row, workflow, self.services, self.settings, user, now).run(
                    spiff_task
                )
                self._save(session, row, workflow, now, user)
        except (StaleInstance, OperationalError) as exc:
            if isinstance(exc, OperationalError) and "locked" not in str(exc).lower():
                raise
            raise self._completion_conflict(task_id) from None
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    # ------------------------------------------------------------------ timers, incidents
    def tick(self, now: datetime | None = None) -> list[int]:
        """Fire every timer due at ``now``; returns the ids of the instances that moved."""
        now = now or self.clock()
        with self.db.transaction() as session:
            due = list(
                session.scalars(
                    select(ProcessInstance.id).where(
                        ProcessInstance.next_timer.is_not(None),
                        ProcessInstance.next_timer <= now,
                        ProcessInstance.status.in_(("running", "incident")),
                    )
                )
            )
        moved = []
        for instance_id in due:
            with self.db.transaction() as session:
                row = self._instance_row(session, instance_id)
                workflow = self.instances.load(session, row)
                StepRunner(session, row, workflow, self.services, self.settings, None, now).run()
                self._save(session, row, workflow, now, None)
            self.instances.remember(row, workflow)
            moved.append(instance_id)
        return moved

    def incidents(
        self, open_only: bool = True, instance_id: int | None = None
    ) -> list[IncidentView]:
        with self.db.transaction() as session:
            query = select(Incident).order_by(Incident.id)
            if open_only:
                query = query.where(Incident.resolved_at.is_(None))
            if instance_id is not None:
                query = query.where(Incident.instance_id == instance_id)
            return [IncidentView.of(i) for i in session.scalars(query)]

    def retry(self, incident_id: int, user: str | None = None) -> IncidentView:
        now = self.clock()
        with self.db.transaction() as session:
            if user is not None:
                require_user(session, user)
            incident = session.get(Incident, incident_id) if is_row_id(incident_id) else None
            if incident is None:
                raise NotFound(f"no incident {incident_id}")
            if incident.resolved_at is not None:
                raise Conflict(
                    f"incident {incident_id} was already resolved at {incident.resolved_at:%Y-%m-%d %H:%M}"
                )
            row = self._instance_row(session, incident.instance_id)
            workflow = self.instances.load(session, row)
            task = workflow.get_task_from_id(UUID(incident.task_id))
            audit(
                session,
                row,
                "retried",
                actor=user,
                at=now,
                task=task,
                data={"incident": incident.id},
            )
            StepRunner(session, row, workflow, self.services, self.settings, user, now).run(task)
            if task.state != TaskState.ERROR:
                incident.resolved_at, incident.resolved_by = now, user
            self._save(session, row, workflow, now, user)
            view = IncidentView.of(incident)
        self.instances.remember(row, workflow)
        return view

    def correlate_message(
        self,
        name: str,
        payload: dict[str, Any] | None = None,
        correlation_key: str | None = None,
        user: str | None = None,
    ) -> list[int]:
        """Route message ``name`` to the instances waiting for it (``engine.messages``)."""
        return correlate_message(self, name, payload, correlation_key, user)

    # ------------------------------------------------------------------ history
    def history(self, instance_id: int) -> list[HistoryEntry]:
        with self.db.transaction() as session:
            self._instance_row(session, instance_id)
            return read_history(session, instance_id)

    def element_states(self, instance_id: int) -> dict[str, list[str]]:
        """Completed and active element ids and the sequence flows taken (for the diagram view)."""
        with self.db.transaction() as session:
            row = self._instance_row(session, instance_id)
            workflow = self.instances.load(session, row)
            states = element_states(workflow, self._definition_xml(session, row.definition_id))
            self.instances.remember(row, workflow)
            return states

    @staticmethod
    def _definition_xml(session: Session, definition_id: int) -> str:
        return session.scalar(
            select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == definition_id)
        )

    # ------------------------------------------------------------------ internals
    def _save(
        self, session: Session, row: InstanceRecord, workflow, now: datetime, actor: str | None
    ) -> None:
        errored = bool(scan(workflow).errored)
        status = "incident" if errored else ("completed" if workflow.completed else "running")
        if status == "completed":
            audit(session, row, "ended", actor=actor, at=now, element_id=row.process_id)
        self.instances.save(session, row, workflow, now, status=status)

    #: start data and message payloads: a JSON object, no NUL byte (``engine.forms``)
    _checked_start_data = staticmethod(checked_start_data)

    def _instance_row(self, session: Session, instance_id: int) -> InstanceRecord:
        row = self.instances.get(session, instance_id) if is_row_id(instance_id) else None
        if row is None:
            raise NotFound(f"no instance {instance_id}")
        return row
