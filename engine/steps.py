"""Starting an instance and completing a step inside a transaction: the facade's action half.

``BpmnEngine`` inherits these. Each takes the session of a transaction the caller holds, so that
one facade action may start an instance, keep its documents and complete its first step, and
commit all of it or nothing (``BpmnEngine.start(documents=..., complete_first=...)``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from .access import TaskAccess, step_definition
from .clock import office_date
from .config import Settings
from .errors import Conflict, EngineError, FieldError, Forbidden, FormInvalid, NotFound
from .forms import FormCheck, checked_start_data, validate_form
from .instances import InstanceRecord, InstanceStore
from .locks import claimed_message, lock_task
from .mail import mail_result
from .models import ProcessDefinition, is_row_id
from .runner import StepRunner, audit
from .running_numbers import fill_running_numbers
from .services import ServiceRegistry
from .starting import may_start, starter_groups
from .users import active_roles
from .workflow_scan import current_data, scan


class StepActions(TaskAccess):
    """Mixed into BpmnEngine, which sets these in its constructor."""

    services: ServiceRegistry
    settings: Settings
    instances: InstanceStore

    def _start_in(
        self,
        session: Session,
        process_id: str,
        data: dict[str, Any],
        user: str | None,
        business_key: str | None,
        now: datetime,
    ):
        """Create the instance, run it to its first wait and save it; (record, workflow)."""
        roles = active_roles(session, user) if user is not None else None
        if user is not None and roles is None:
            raise NotFound(f"unknown user '{user}'")
        definition = self.definitions.latest_ref(session, process_id)
        if roles is not None:
            xml = session.scalar(
                select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == definition.id)
            )
            groups = starter_groups(xml or "", process_id)
            if groups and not may_start(groups, set(roles)):
                raise Forbidden(
                    f"Anda tidak berwenang memulai layanan '{definition.name}': "
                    f"hanya peran {', '.join(groups)}"
                )
        workflow = self.instances.new_workflow(session, definition.id)
        _check_data_inputs(workflow.spec, data)
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
        StepRunner(session, row, workflow, self.services, self.settings, user, now).run()
        self._save(session, row, workflow, now, user)
        return row, workflow

    def _complete_in(
        self,
        session: Session,
        task_id: str,
        user: str,
        data: dict[str, Any] | None,
        now: datetime,
        record_refusal: bool = True,
        check_form: FormCheck | None = None,
    ):
        """Complete an open user task as ``user`` with the form ``data``; (record, workflow)."""
        lock_task(session, task_id)
        context = self.instances.task_context(session, str(task_id), user)
        if context is None:
            raise self._completion_conflict(task_id, session)
        human, row, roles = context
        acting = self._may_do(session, human, user, roles, record_refusal)
        if human.claimed_by and human.claimed_by != user:
            if acting is None or human.claimed_by != acting.delegator:
                raise Conflict(claimed_message(human))
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
        step_version = step_definition(human, row.definition_id)
        fields = self._form_of(session, step_version, human.element_id)[0]
        refused = check_form(fields, data) if check_form and isinstance(data, dict) else None
        if refused:
            raise FormInvalid([FieldError(key, "choice", text) for key, text in refused.items()])
        cleaned = validate_form(fields, data or {}, office_date(now), spiff_task.data)
        cleaned = fill_running_numbers(session, fields, cleaned, now)
        spiff_task.data.update(cleaned)
        audit(
            session,
            row,
            "completed",
            actor=user,
            at=now,
            task=spiff_task,
            data=cleaned,
            on_behalf_of=acting.delegator if acting is not None else None,
            acting_kind=acting.kind if acting is not None else None,
        )
        StepRunner(session, row, workflow, self.services, self.settings, user, now).run(spiff_task)
        self._save(session, row, workflow, now, user)
        return row, workflow

    def _save(
        self, session: Session, row: InstanceRecord, workflow, now: datetime, actor: str | None
    ) -> None:
        errored = bool(scan(workflow).errored)
        status = "incident" if errored else ("completed" if workflow.completed else "running")
        if status == "completed":
            audit(session, row, "ended", actor=actor, at=now, element_id=row.process_id)
        self.instances.save(session, row, workflow, now, status=status)
        if status == "completed":
            mail_result(
                session,
                self.settings,
                self.services.outbox,
                definition_id=row.definition_id,
                instance_id=row.id,
                business_key=row.business_key,
                data=current_data(workflow),
                now=now,
            )

    #: start data and message payloads: a JSON object, no NUL byte (``engine.forms``)
    _checked_start_data = staticmethod(checked_start_data)

    def _instance_row(self, session: Session, instance_id: int) -> InstanceRecord:
        row = self.instances.get(session, instance_id) if is_row_id(instance_id) else None
        if row is None:
            raise NotFound(f"no instance {instance_id}")
        return row


def _check_data_inputs(spec, data: dict[str, Any]) -> None:
    """A process that declares data inputs (``ioSpecification``) starts only with each of them."""
    io = getattr(spec, "io_specification", None)
    missing = [d for d in (io.data_inputs if io else []) if d.bpmn_id not in data]
    if missing:
        named = ", ".join(f"'{d.bpmn_name or d.bpmn_id}' ({d.bpmn_id})" for d in missing)
        raise EngineError(
            f"proses '{spec.description or spec.name}' memerlukan data masukan {named} saat "
            "dimulai; kirim data itu bersama permintaan mulai"
        )
