"""BpmnEngine: the one door to the workflow engine for the web app and the CLI.

Every action is one transaction together with its audit rows. Roles are
checked here, not only in the UI. Nothing of SpiffWorkflow leaves this module
but plain records (``engine.records``, ``engine.documents``, ``engine.notifications``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .accounts import Accounts
from .api_tokens import ApiTokens
from .clock import Clock, office_date, system_now
from .config import Settings
from .db import Database
from .definitions import DefinitionRepository
from .delegations import Delegations, delegators_of
from .deployments import Deployments
from .documents import Documents, NewDocument
from .errors import Conflict, EngineError, Forbidden, NotFound
from .forms import FormCheck, fill_defaults
from .history import element_states, read_history
from .inbox import InboxFilters, InboxPage, inbox_page
from .instance_search import InstanceFilters, InstancePage, instance_page
from .instances import InstanceStore, StaleInstance
from .locks import claimed_message, is_contention, lock_task, race_conflict
from .messages import correlate_message
from .migration import Migrator
from .models import (
    HumanTask,
    ProcessDefinition,
    ProcessInstance,
    is_row_id,
)
from .notifications import Notifications
from .operations import Operations
from .public_start import PublicForms
from .reassign import Reassignment
from .records import HistoryEntry, InstanceView, TaskView
from .runner import audit
from .serialization import WorkflowCodec
from .services import ServiceRegistry
from .starting import StartForms
from .statistics import Statistics
from .upkeep import Upkeep
from .users import active_roles, require_user
from .workflow_scan import current_data, scan

T = TypeVar("T")
_OPEN_TASKS = select(*HumanTask.__table__.columns, ProcessInstance.definition_id).join(
    ProcessInstance, ProcessInstance.id == HumanTask.instance_id
)


class BpmnEngine(Deployments, Upkeep, Operations, Reassignment, StartForms, PublicForms):
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
        self.definitions = DefinitionRepository(
            self.codec,
            services.topics,
            lambda: services.template_formats,
            lambda: services.form_pickers,
        )
        self.instances = InstanceStore(self.codec, self.definitions)
        #: the manager dashboard's figures (step durations against the standard, open work, intake)
        self.statistics = Statistics(db)
        #: people: signing in, the session's user, the administrators' user pages
        self.accounts = Accounts(db)
        #: personal API tokens (``Authorization: Bearer``), per user, revocable
        self.tokens = ApiTokens(db, clock)
        #: comparing deployed versions and moving running instances between them
        self.versions = Migrator(self)
        #: the document archive: an instance's documents, one document with its bytes
        self.documents = Documents(db)
        #: the notifications and e-mails an instance produced
        self.notifications = Notifications(
            db, clock, lambda session, user: delegators_of(session, user, office_date(clock()))
        )
        #: acting officials (Plh/Plt): who does whose tasks on which dates
        self.delegations = Delegations(db, clock)
        self._forms = {}

    # ------------------------------------------------------------------ instances
    def start(
        self,
        process_id: str,
        data: dict[str, Any] | None = None,
        user: str | None = None,
        business_key: str | None = None,
        *,
        documents: Sequence[NewDocument] = (),
        complete_first: tuple[str, dict[str, Any]] | None = None,
    ) -> InstanceView:
        """Start an instance as ``user``; one transaction with what comes with it.

        ``documents`` are kept as the new instance's; ``complete_first`` = (element id, form
        values) completes that open step at once as ``user``. Any failure (a refused or invalid
        completion, a step that is not open) leaves no instance, no document and no audit row.
        """
        data = self._checked_start_data(data)
        now = self.clock()
        with self.db.transaction() as session:
            row, workflow = self._start_in(session, process_id, data, user, business_key, now)
            for document in documents:
                document.store(session, row.id, user)
            if complete_first is not None:
                if user is None:
                    raise EngineError("completing the first step needs a user")
                element_id, values = complete_first
                task_id = next(
                    (
                        str(task.id)
                        for task in scan(workflow).ready_user
                        if task.task_spec.bpmn_id == element_id
                    ),
                    None,
                )
                if task_id is None:
                    raise Conflict(f"step '{element_id}' is not open after the start")
                row, workflow = self._complete_in(
                    session, task_id, user, values, now, record_refusal=False
                )
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
            names: set[str] = {user} if user is not None else set()
            if user is not None:
                roles, names = self._acting_identity(session, user)
                query = query.where(
                    or_(
                        HumanTask.role.in_(roles),
                        HumanTask.claimed_by.in_(names),
                        HumanTask.shared.is_(True),
                        HumanTask.named.is_(True),
                    )
                )
            views = []
            for human in session.connection().execute(
                query.order_by(HumanTask.due_at, HumanTask.ready_at)
            ):
                if roles is not None and not (
                    roles & set(human.candidate_roles or [])
                    or names & set(human.candidate_users or [])
                ):
                    continue
                if roles is not None and human.claimed_by not in (None, *names):
                    continue
                views.append(self._task_view(session, human, human.definition_id))
            return views

    def inbox(self, user: str, filters: InboxFilters | None = None) -> InboxPage:
        """``user``'s open tasks as the inbox shows them: filtered, a page at a time, counted by step and role."""
        with self.db.Session() as session:
            roles, names = self._acting_identity(session, user)
            return inbox_page(session, names, tuple(roles), filters or InboxFilters(), self.clock())

    def _acting_identity(self, session: Session, user: str) -> tuple[set[str], set[str]]:
        """The roles and names ``user`` works with today: their own, and those of the officials
        they act for (Plh/Plt)."""
        found = active_roles(session, user)
        if found is None:
            raise NotFound(f"unknown user '{user}'")
        roles, names = set(found), {user}
        for delegator, delegator_roles in delegators_of(
            session, user, office_date(self.clock())
        ).items():
            roles.update(delegator_roles)
            names.add(delegator)
        return roles, names

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
            fill_defaults(view.fields, spiff_task.data)
            self.instances.remember(row, workflow)
            return view

    def claim(self, task_id: str, user: str) -> TaskView:
        now = self.clock()
        with self.db.transaction() as session:
            lock_task(session, task_id)
            human = self._open_task(session, task_id)
            acting = self._authorize(session, human, user)
            if human.claimed_by and human.claimed_by != user:
                if acting is None or human.claimed_by != acting.delegator:
                    raise Conflict(claimed_message(human))
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
            lock_task(session, task_id)
            human = self._open_task(session, task_id)
            actor = require_user(session, user)
            is_admin = actor.has_role("admin")
            if human.claimed_by != user and not is_admin:
                self._may_do(
                    session, human, user, list(actor.roles or [])
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

    def complete(
        self,
        task_id: str,
        user: str,
        data: dict[str, Any] | None = None,
        check_form: FormCheck | None = None,
    ) -> InstanceView:
        """Complete an open user task as ``user`` with the form ``data``; ``check_form`` is the
        caller's own check of the data against the step's fields (``engine.forms.FormCheck``)."""
        now = self.clock()
        try:
            with self.db.transaction() as session:
                row, workflow = self._complete_in(
                    session, task_id, user, data, now, check_form=check_form
                )
        except (StaleInstance, OperationalError) as exc:
            if isinstance(exc, OperationalError) and not is_contention(exc):
                raise
            with self.db.Session() as fresh:
                raise race_conflict(fresh, task_id) from None
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    def in_transaction(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(session, *args, **kwargs)`` in one transaction of its own, committed when it returns.

        For a plug-in's function that works in the session it is given, as a topic handler
        does, called from a page outside any diagram step (the operator's warehouse preview).
        A page never opens the store itself.
        """
        with self.db.transaction() as session:
            return fn(session, *args, **kwargs)

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
        xml = session.scalar(
            select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == definition_id)
        )
        if xml is None:
            raise NotFound(f"process version {definition_id} is not deployed")
        return xml
