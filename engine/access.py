"""Who may see and do a task, and what its form is: the facade's task-access half.

``BpmnEngine`` inherits these; they read the open-task rows, the users' roles and the
forms of the deployed versions (cached per version and step), and write refusals to
the audit log in a transaction of their own, so a refused attempt is on record even
though the action itself changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .clock import office_date
from .db import Database
from .definitions import DefinitionRepository
from .delegations import Acting, acting_for, delegators_of
from .errors import Conflict, EngineError, Forbidden, NotFound
from .forms import fields_of
from .models import AuditEntry, HumanTask, utcnow
from .records import TaskView
from .users import active_roles

log = logging.getLogger(__name__)

#: audit actions by which a user takes part in an instance
WORK_ACTIONS = ("started", "claimed", "completed")


class TaskAccess:
    """Mixed into BpmnEngine, which sets these three in its constructor."""

    db: Database
    definitions: DefinitionRepository
    #: (definition id, element id) -> the step's form fields and their properties
    _forms: dict[tuple[int, str], tuple[list, dict]]
    clock: Callable[[], datetime]

    def takes_part(self, instance_id: int, username: str) -> bool:
        """``username`` started, claimed or completed a step of the instance, or may do one of its open tasks."""
        with self.db.Session() as session:
            roles = set(active_roles(session, username) or [])
            names = {username}
            for delegator, delegator_roles in delegators_of(
                session, username, office_date(self.clock())
            ).items():
                names.add(delegator)
                roles.update(delegator_roles)
            open_tasks = session.execute(
                select(
                    HumanTask.candidate_roles, HumanTask.candidate_users, HumanTask.claimed_by
                ).where(HumanTask.instance_id == instance_id)
            )
            if any(
                claimed_by in names or roles & set(candidates or []) or names & set(users or [])
                for candidates, users, claimed_by in open_tasks
            ):
                return True  # may do one of its open tasks (any of its candidate roles, as in ``tasks``)
            return bool(
                session.scalar(
                    select(
                        exists().where(
                            AuditEntry.instance_id == instance_id,
                            AuditEntry.actor == username,
                            AuditEntry.action.in_(WORK_ACTIONS),
                        )
                    )
                )
            )

    def step_form(self, process_id: str, element_id: str, version: int | None = None):
        """A step's form fields and properties in a deployed version (default: the latest), without a task."""
        with self.db.transaction() as session:
            definition = (
                self.definitions.get(session, process_id, version)
                if version
                else self.definitions.latest(session, process_id)
            )
            fields, properties = self._form_of(session, definition.id, element_id)
            if not fields and not properties:
                raise NotFound(f"process '{process_id}' has no step '{element_id}'")
            return [replace(f) for f in fields], dict(properties)

    def _open_task(self, session: Session, task_id: str) -> HumanTask:
        human = session.get(HumanTask, str(task_id))
        if human is None:
            raise self._completion_conflict(task_id, session)
        return human

    def _completion_conflict(self, task_id: str, session: Session | None = None) -> EngineError:
        def lookup(s: Session) -> EngineError:
            done = s.scalars(
                select(AuditEntry).where(
                    AuditEntry.task_id == str(task_id), AuditEntry.action == "completed"
                )
            ).first()
            if done is not None:
                return Conflict(
                    f"task '{done.element_name}' was already completed by {done.actor} "
                    f"at {done.at:%Y-%m-%d %H:%M:%S}"
                )
            return NotFound(f"no open task {task_id}")

        if session is not None:
            return lookup(session)
        with self.db.transaction() as fresh:
            return lookup(fresh)

    def _authorize(
        self, session: Session, human, username: str, record: bool = True
    ) -> Acting | None:
        return self._may_do(session, human, username, active_roles(session, username), record)

    def _may_do(
        self, session: Session, human, username: str, roles: list[str] | None, record: bool = True
    ) -> Acting | None:
        """None when ``username`` may do the task in their own right (a candidate role, or named
        on it); the delegation when they act for an official (Plh/Plt); refused otherwise."""
        if roles is None:
            raise NotFound(f"unknown user '{username}'")
        if set(roles) & set(human.candidate_roles or []) or username in (
            getattr(human, "candidate_users", None) or ()
        ):
            return None
        acting = acting_for(session, human, username, office_date(self.clock()))
        if acting is not None:
            return acting
        named = list(getattr(human, "candidate_users", None) or ())
        message = (
            f"user '{username}' may not do '{human.name}': it needs the role "
            f"{' or '.join(human.candidate_roles) or '(none)'}"
            + (f" or to be {' or '.join(named)}" if named else "")
        )
        if record:
            self._record_refusal(human, username, message)
        raise Forbidden(message)

    def _record_refusal(self, human: HumanTask, username: str, message: str) -> None:
        self.db.keep_audit(
            dict(
                instance_id=human.instance_id,
                task_id=human.id,
                element_id=human.element_id,
                element_name=human.name,
                action="refused",
                actor=username,
                at=utcnow(),
                data={"reason": message},
            )
        )

    def _task_view(self, session: Session, human, definition_id: int) -> TaskView:
        definition_id = step_definition(human, definition_id)
        try:
            fields, properties = self._form_of(session, definition_id, human.element_id)
        except Exception:  # noqa: BLE001 - one odd version must not break everybody's task list
            log.exception("form of %s in definition %s unreadable", human.element_id, definition_id)
            fields, properties = [], {}
        return TaskView(
            id=human.id,
            instance_id=human.instance_id,
            process_id=human.process_id,
            element_id=human.element_id,
            name=human.name,
            role=human.role,
            candidate_roles=list(human.candidate_roles or []),
            candidate_users=list(getattr(human, "candidate_users", None) or []),
            ready_at=human.ready_at,
            due=human.due_at,
            claimed_by=human.claimed_by,
            fields=[replace(f) for f in fields],
            properties=dict(properties),
        )

    def _form_of(self, session: Session, definition_id: int, element_id: str) -> tuple[list, dict]:
        """A step's form fields and properties, read once per deployed version."""
        key = (definition_id, element_id)
        cached = self._forms.get(key)
        if cached is None:
            spec, subprocess_specs = self.definitions.spec(session, definition_id)
            task_spec = step_spec([spec, *subprocess_specs.values()], element_id)
            cached = (
                (fields_of(task_spec), dict(getattr(task_spec, "extensions", None) or {}))
                if task_spec is not None
                else ([], {})
            )
            self._forms[key] = cached
        return cached


def step_definition(human, instance_definition_id: int) -> int:
    """The deployed version holding an open task's step (and its form): the called version a
    call activity bound to the latest one ran, else the instance's."""
    return getattr(human, "step_definition_id", None) or instance_definition_id


def step_spec(specs, element_id: str):
    """The task spec people work on for a BPMN element: for a loop or multi-instance
    marker, the spec of its instances (the marker's own spec has no form); searched in
    the process and its subprocesses (a user task inside an embedded subprocess)."""
    for spec in specs:
        task_spec = spec.task_specs.get(element_id)
        if task_spec is None:
            continue
        inner = getattr(task_spec, "task_spec", None)
        if isinstance(inner, str) and inner in spec.task_specs:
            return spec.task_specs[inner]
        return task_spec
    return None
