"""Running a workflow forward inside one engine action, and recording what happened.

Service tasks call their topic's handler (inside a savepoint, so a failing
handler leaves nothing half-written); a failure becomes an incident on the
instance with the task left in ERROR, to be retried. Timers fire against the
engine's clock. Every automatic step is written to the audit log (a business rule task as
``decided``, with its decision's outputs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import EventBasedGateway
from SpiffWorkflow.dmn.specs.business_rule_task_mixin import BusinessRuleTaskMixin
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from .clock import spiff_time
from .config import Settings
from .db import PENDING_AUDIT
from .event_subprocess import close_idle_event_subprocesses, interrupt_main_flow
from .models import Incident
from .parser import DEFERRED, Deferred, ExternalServiceTask
from .script_sandbox import ScriptLimitExceeded, ScriptLimits, reset_limits, set_limits
from .scripting import reset_dispatcher, set_dispatcher
from .services import ServiceCall, ServiceError, ServiceRegistry
from .task_notices import escalate_if_late
from .workflow_scan import scan

#: set on a ``camunda:asyncBefore`` task by the job that runs it (``engine.async_steps``)
ASYNC_RELEASED = "laksana_async_released"


class MissingHandler(Exception):
    pass


def _gateway_timer(task) -> bool:
    """A timer branch of an event-based gateway (the gateway keeps the branches' definitions)."""
    gateway = task.parent.task_spec if task.parent is not None else None
    if not isinstance(gateway, EventBasedGateway) or task.task_spec not in gateway.outputs:
        return False
    definitions = gateway.event_definition.event_definitions
    index = gateway.outputs.index(task.task_spec)
    return index < len(definitions) and isinstance(definitions[index], TimerEventDefinition)


def element_name(task_spec) -> str:
    return task_spec.bpmn_name or task_spec.bpmn_id or task_spec.name


def audit(
    session: Session,
    row: Any,
    action: str,
    *,
    actor: str | None,
    at: datetime,
    task=None,
    element_id: str | None = None,
    name: str | None = None,
    data: dict[str, Any] | None = None,
    task_id: str | None = None,
    on_behalf_of: str | None = None,
    acting_kind: str | None = None,
) -> None:
    """Queue an audit row; ``engine.db`` writes the queue in one INSERT when the transaction commits."""
    spec = task.task_spec if task is not None else None
    session.info.setdefault(PENDING_AUDIT, []).append(
        {
            "instance_id": row.id if row is not None else None,
            "task_id": str(task.id) if task is not None else task_id,
            "element_id": element_id or (spec.bpmn_id if spec is not None else None),
            "element_name": name or (element_name(spec) if spec is not None else None),
            "action": action,
            "actor": actor,
            "at": at,
            "data": data or {},
            "on_behalf_of": on_behalf_of,
            "acting_kind": acting_kind,
        }
    )


def describe_error(exc: BaseException) -> str:
    inner = getattr(exc, "exception", None) or exc.__cause__ or exc.__context__
    if isinstance(exc, (ServiceError, MissingHandler)):
        return str(exc)
    if inner is not None and inner is not exc and isinstance(inner, (ServiceError, MissingHandler)):
        return str(inner)
    if isinstance(inner, ScriptLimitExceeded) or isinstance(exc, ScriptLimitExceeded):
        task = getattr(exc, "task", None)
        where = (
            f"'{element_name(task.task_spec)}' ({task.task_spec.bpmn_id})"
            if task is not None
            else "diagram"
        )
        return (
            f"skrip atau ungkapan pada {where} {inner or exc}; sederhanakan skripnya, lalu "
            "ulangi insiden ini"
        )
    return f"{exc.__class__.__name__}: {str(exc) or exc.__class__.__name__}"


class StepRunner:
    def __init__(
        self,
        session: Session,
        row: Any,
        workflow: BpmnWorkflow,
        services: ServiceRegistry,
        settings: Settings,
        actor: str | None,
        now: datetime,
    ) -> None:
        self.session = session
        self.row = row
        self.workflow = workflow
        self.services = services
        self.settings = settings
        self.actor = actor
        self.now = now
        self.results: dict[Any, dict] = {}
        self.incidents: list[Incident] = []

    # -- service tasks
    def dispatch(self, task, topic: str) -> dict | Deferred | None:
        if self._defers(task):
            audit(
                self.session,
                self.row,
                "async_deferred",
                actor=self.actor,
                at=self.now,
                task=task,
                data={"topic": topic},
            )
            return DEFERRED
        handler = self.services.get(topic)
        if handler is None:
            raise MissingHandler(f"no handler is registered for topic '{topic}'")
        spec = task.task_spec
        call = ServiceCall(
            instance_id=self.row.id,
            process_id=self.row.process_id,
            task_id=str(task.id),
            element_id=spec.bpmn_id,
            element_name=element_name(spec),
            topic=topic,
            data=dict(task.data),
            properties=dict(spec.extensions or {}),
            session=self.session,
            settings=self.settings,
            now=self.now,
            actor=self.actor,
            audit=self._handler_audit(task),
            outbox=self.services.outbox,
        )
        if self.services.writes(topic):
            with self.session.begin_nested():
                result = handler(call)
        else:
            result = handler(call)
        if result is not None and not isinstance(result, dict):
            raise ServiceError(
                f"handler of topic '{topic}' returned {type(result).__name__}, not a dict"
            )
        self.results[task.id] = result or {}
        return result

    def _defers(self, task) -> bool:
        """A ``camunda:asyncBefore`` task reached by a step (not yet by its job), and a job engine
        that deferred its continuation in this transaction."""
        defer = self.services.async_continuation
        if not getattr(task.task_spec, "async_before", False) or defer is None:
            return False
        if task.internal_data.get(ASYNC_RELEASED):
            return False
        return defer(self.session, self.row.id, str(task.id))

    def _handler_audit(self, task):
        def write(action: str, data: dict | None = None) -> None:
            audit(
                self.session, self.row, action, actor=self.actor, at=self.now, task=task, data=data
            )

        return write

    # -- the loop
    def run(self, first_task=None) -> None:
        """Run ``first_task`` (if given) then every automatic step until people must act."""
        token = set_dispatcher(self.dispatch)
        limits = set_limits(
            ScriptLimits(self.settings.script_timeout, self.settings.script_memory_mb)
        )
        try:
            with spiff_time(self.now):
                if first_task is not None:
                    first_task.run()
                    self._on_completed(first_task)
                self._advance()
        except Exception as exc:  # noqa: BLE001 - every failure becomes an incident
            self._record_incidents(exc)
        finally:
            reset_limits(limits)
            reset_dispatcher(token)

    def _advance(self) -> None:
        while True:
            self.workflow.do_engine_steps(did_complete_task=self._on_completed)
            if close_idle_event_subprocesses(self.workflow):
                continue
            if not scan(self.workflow).ready_automatic:
                break

    def _on_completed(self, task) -> None:
        if task.state == TaskState.STARTED:
            return  # ran but not completed: a camunda:asyncBefore task left for its job
        interrupt_main_flow(task)
        spec = task.task_spec
        if isinstance(spec, ExternalServiceTask):
            audit(
                self.session,
                self.row,
                "service_ok",
                actor=self.actor,
                at=self.now,
                task=task,
                data={"topic": spec.topic, **self.results.pop(task.id, {})},
            )
        elif isinstance(spec, BusinessRuleTaskMixin):
            table = spec.dmnEngine.decision_table
            outputs = [o.name or o.label for o in table.outputs]
            audit(
                self.session,
                self.row,
                "decided",
                actor=None,
                at=self.now,
                task=task,
                data={"decision": table.id, **{k: task.data.get(k) for k in outputs if k}},
            )
        elif isinstance(getattr(spec, "event_definition", None), TimerEventDefinition) or (
            _gateway_timer(task)
        ):
            audit(self.session, self.row, "timer_fired", actor=None, at=self.now, task=task)
            escalate_if_late(
                self.session, task, self.row, self.now, self.settings, self.services.outbox
            )
        printed = getattr(self.workflow.script_engine, "printed", {}).pop(task.id, None)
        if printed:
            audit(
                self.session,
                self.row,
                "script_output",
                actor=None,
                at=self.now,
                task=task,
                data={"output": printed[:10000]},
            )

    def _record_incidents(self, exc: BaseException) -> None:
        message = describe_error(exc)
        failed = scan(self.workflow).errored
        if not failed:
            raise exc
        open_incidents = {
            i.task_id: i
            for i in self.session.scalars(
                select(Incident).where(
                    Incident.instance_id == self.row.id, Incident.resolved_at.is_(None)
                )
            )
        }
        for task in failed:
            spec = task.task_spec
            incident = open_incidents.get(str(task.id))
            if incident is None:
                incident = Incident(
                    instance_id=self.row.id,
                    task_id=str(task.id),
                    element_id=spec.bpmn_id,
                    element_name=element_name(spec),
                    topic=getattr(spec, "topic", None),
                    message=message,
                    created_at=self.now,
                    attempts=1,
                )
                self.session.add(incident)
            else:
                incident.attempts += 1
                incident.message = message
            self.incidents.append(incident)
            audit(
                self.session,
                self.row,
                "incident",
                actor=self.actor,
                at=self.now,
                task=task,
                data={"message": message, "topic": getattr(spec, "topic", None)},
            )
