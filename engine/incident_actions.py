"""Failed steps in the operations console: list them, read the data, retry or skip the step.

``BpmnEngine`` inherits these through ``engine.operations.Operations``. A failed service or
script step is an open ``Incident``; ``retry`` runs the step again (an administrator may first
edit its data, with a reason; the audit keeps the values before and after), ``skip`` counts it
as done with the data it should have written. Each locks the instance and writes an audit row.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from .console_guards import ADMIN, ConsoleGuards, checked_reason
from .errors import Conflict, EngineError, NotFound
from .locks import lock_instance
from .models import Incident, is_row_id
from .records import IncidentView
from .runner import StepRunner, audit, element_name


class IncidentActions(ConsoleGuards):
    """Mixed into BpmnEngine (through ``Operations``)."""

    def incidents(
        self, open_only: bool = True, instance_id: int | None = None
    ) -> list[IncidentView]:
        with self.db.Session() as session:
            query = select(Incident).order_by(Incident.id)
            if open_only:
                query = query.where(Incident.resolved_at.is_(None))
            if instance_id is not None:
                query = query.where(Incident.instance_id == instance_id)
            return [IncidentView.of(i) for i in session.scalars(query)]

    def incident(self, incident_id: int) -> IncidentView:
        """One incident, open or resolved."""
        with self.db.Session() as session:
            return IncidentView.of(self._incident(session, incident_id))

    def incident_data(self, incident_id: int) -> dict[str, Any]:
        """The data the failed step runs with (what an administrator may edit before a retry)."""
        with self.db.transaction() as session:
            incident = self._incident(session, incident_id)
            row = self._instance_row(session, incident.instance_id)
            workflow = self.instances.load(session, row)
            data = dict(workflow.get_task_from_id(UUID(incident.task_id)).data)
        self.instances.remember(row, workflow)
        return data

    def retry(
        self,
        incident_id: int,
        user: str | None = None,
        data: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> IncidentView:
        """Run the failed step again; with ``data``, first change those keys of its data
        (administrators only, with a reason; the audit keeps the old and new values)."""
        now = self.clock()
        with self.db.transaction() as session:
            if user is not None:
                self._console_user(session, user, ADMIN if data else None)
            incident = self._incident(session, incident_id, lock=True)
            row = self._active_row(session, incident.instance_id)
            workflow = self.instances.load(session, row)
            task = workflow.get_task_from_id(UUID(incident.task_id))
            if data:
                self._edit_data(session, row, task, data, checked_reason(reason), user, now)
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

    def skip(
        self, incident_id: int, user: str, reason: str, data: dict[str, Any] | None = None
    ) -> IncidentView:
        """Count a failed service step as done without running it, merging ``data`` (what the
        step would have written) into its data, and run on to the next step."""
        text = checked_reason(reason)
        now = self.clock()
        with self.db.transaction() as session:
            self._console_user(session, user, ADMIN)
            incident = self._incident(session, incident_id, lock=True)
            row = self._active_row(session, incident.instance_id)
            workflow = self.instances.load(session, row)
            task = workflow.get_task_from_id(UUID(incident.task_id))
            if task.state != TaskState.ERROR:
                raise Conflict(f"langkah '{element_name(task.task_spec)}' tidak sedang gagal")
            task.data.update(data or {})
            audit(
                session,
                row,
                "skipped",
                actor=user,
                at=now,
                task=task,
                data={"incident": incident.id, "reason": text, "data": data or {}},
            )
            task.complete()
            StepRunner(session, row, workflow, self.services, self.settings, user, now).run()
            incident.resolved_at, incident.resolved_by = now, user
            self._save(session, row, workflow, now, user)
            view = IncidentView.of(incident)
        self.instances.remember(row, workflow)
        return view

    def _incident(self, session: Session, incident_id: int, lock: bool = False) -> Incident:
        incident = session.get(Incident, incident_id) if is_row_id(incident_id) else None
        if incident is None:
            raise NotFound(f"insiden {incident_id} tidak ada")
        if lock:
            lock_instance(session, incident.instance_id)
            session.refresh(incident)
            if incident.resolved_at is not None:
                raise Conflict(
                    f"insiden {incident_id} sudah diselesaikan pada "
                    f"{incident.resolved_at:%Y-%m-%d %H:%M}"
                )
        return incident

    @staticmethod
    def _edit_data(session, row, task, changes: dict, reason: str, user, now) -> None:
        if not isinstance(changes, dict):
            raise EngineError("data yang diubah harus berupa objek JSON")
        before = {key: task.data.get(key) for key in changes}
        task.data.update(changes)
        audit(
            session,
            row,
            "data_edited",
            actor=user,
            at=now,
            task=task,
            data={"reason": reason, "before": before, "after": dict(changes)},
        )
