"""What operators do to an instance that is stuck or must change course: the facade's console half.

``BpmnEngine`` inherits these. Each is one transaction that locks the instance, checks who
asks (administrators and analysts; moving an instance and editing its data are for
administrators), records an audit row with the reason, and saves the instance:

- ``incidents``, ``retry`` (optionally after editing the failed step's data), ``skip`` (a
  failed service step counts as done, with the data it should have written);
- ``suspend`` / ``resume``: a suspended instance takes no action (no task is offered, no timer
  fires); on resume its open steps are offered again, with their due times counted afresh;
- ``terminate`` (``cancel``): the instance ends with a reason; its documents stay; the requester
  is told (``engine.termination``);
- ``move``: back to a step the instance has already passed (SpiffWorkflow resets the branch);
  ``move_forward``: on to a later step of the same flow (``engine.move_forward``);
- ``migrate``: running instances of one version onto another (``engine.migration``).

Messages are for people, in Bahasa Indonesia.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Database
from .definitions import DefinitionRepository
from .errors import Conflict, EngineError, Forbidden, NotFound
from .instances import FINISHED, SUSPENDED, InstanceRecord, InstanceStore
from .locks import lock_instance
from .models import Incident, is_row_id
from .move_forward import advance, forward_path, steps_ahead
from .records import IncidentView, InstanceView
from .runner import StepRunner, audit, element_name
from .serialization import pruned_summary
from .services import ServiceRegistry
from .steps import StepActions
from .termination import Terminated, tell_requester
from .users import require_user
from .workflow_scan import current_data

#: roles that may use the console; ``ADMIN`` alone may move an instance or edit its data
CONSOLE_ROLES = ("admin", "analis")
ADMIN = "admin"
#: the shortest reason an operator must give
MIN_REASON = 5


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise EngineError(f"alasan wajib diisi (paling sedikit {MIN_REASON} huruf)")
    return text


class Operations(StepActions):
    """Mixed into BpmnEngine, which sets these attributes in its constructor."""

    db: Database
    definitions: DefinitionRepository
    instances: InstanceStore
    services: ServiceRegistry
    settings: Any

    clock: Callable[[], datetime]

    # ------------------------------------------------------------------ incidents
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
                self._edit_data(session, row, task, data, _reason(reason), user, now)
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
        text = _reason(reason)
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

    # ------------------------------------------------------------------ the instance's course
    def suspend(self, instance_id: int, user: str, reason: str) -> InstanceView:
        text = _reason(reason)
        now = self.clock()
        with self.db.transaction() as session:
            self._console_user(session, user)
            row = self._running_row(session, instance_id)
            if row.status == SUSPENDED:
                raise Conflict(f"permohonan #{instance_id} sudah ditangguhkan")
            workflow = self.instances.load(session, row)
            audit(
                session,
                row,
                "suspended",
                actor=user,
                at=now,
                element_id=row.process_id,
                data={"reason": text, "status": row.status},
            )
            self.instances.save(session, row, workflow, now, status=SUSPENDED)
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    def resume(self, instance_id: int, user: str) -> InstanceView:
        now = self.clock()
        with self.db.transaction() as session:
            self._console_user(session, user)
            row = self._running_row(session, instance_id)
            if row.status != SUSPENDED:
                raise Conflict(f"permohonan #{instance_id} tidak sedang ditangguhkan")
            workflow = self.instances.load(session, row)
            audit(session, row, "resumed", actor=user, at=now, element_id=row.process_id)
            row.open_task_ids = None  # suspended, it had no open-task rows: offer them again
            self._save(session, row, workflow, now, user)
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    def cancel(self, instance_id: int, user: str, reason: str | None = None) -> InstanceView:
        """End an instance for good (``terminate`` without the reason check, for scripts)."""
        return self._end(instance_id, user, reason, console=False)

    def terminate(self, instance_id: int, user: str, reason: str) -> InstanceView:
        """An operator ends an instance with a reason (its documents are kept); the requester is
        told in the same transaction (``engine.termination``)."""
        return self._end(instance_id, user, _reason(reason), console=True)

    def _end(self, instance_id: int, user: str, reason: str | None, console: bool):
        now = self.clock()
        with self.db.transaction() as session:
            (self._console_user if console else require_user)(session, user)
            row = self._running_row(session, instance_id)
            workflow = self.instances.load(session, row)
            data = current_data(workflow)  # the open steps' data, before they are cancelled
            workflow.cancel()
            for incident in self._open_incidents(session, instance_id):
                incident.resolved_at, incident.resolved_by = now, user
            audit(
                session,
                row,
                "cancelled",
                actor=user,
                at=now,
                element_id=row.process_id,
                data={"reason": reason} if reason else None,
            )
            self.instances.save(session, row, workflow, now, status="cancelled")
            if console:
                ended = Terminated.of(row, data, reason or "", now)
                tell_requester(session, self.settings, self.services, row, ended)
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    def move(self, instance_id: int, user: str, element_id: str, reason: str) -> InstanceView:
        """Send an instance back to a step it has already passed; the open steps after it close."""
        text = _reason(reason)
        now = self.clock()
        with self.db.transaction() as session:
            self._console_user(session, user, ADMIN)
            row = self._active_row(session, instance_id)
            workflow = self.instances.load(session, row)
            target = self._passed_task(workflow, element_id)
            audit(
                session,
                row,
                "moved",
                actor=user,
                at=now,
                task=target,
                data={"reason": text, "from": list(row.current_tasks)},
            )
            workflow.reset_from_task_id(target.id)
            _forget_removed_waiting(workflow)
            for incident in self._open_incidents(session, instance_id):
                incident.resolved_at, incident.resolved_by = now, user
            row.open_task_ids = None  # the tree changed: read the open rows again
            StepRunner(session, row, workflow, self.services, self.settings, user, now).run()
            self._save(session, row, workflow, now, user)
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    def steps_ahead(self, instance_id: int) -> list[tuple[str, str]]:
        """The later steps ``move_forward`` can send the instance to (element id, name)."""
        with self.db.transaction() as session:
            row = self._instance_row(session, instance_id)
            workflow = self.instances.load(session, row)
            found = [] if row.status in FINISHED else steps_ahead(workflow)
        self.instances.remember(row, workflow)
        return found

    def move_forward(
        self, instance_id: int, user: str, element_id: str, reason: str
    ) -> InstanceView:
        """Send an instance on to a later step: the open step and those on the way count as
        done without running; the audit row names them."""
        text = _reason(reason)
        now = self.clock()
        with self.db.transaction() as session:
            self._console_user(session, user, ADMIN)
            row = self._active_row(session, instance_id)
            workflow = self.instances.load(session, row)
            path = forward_path(workflow, element_id)
            audit(
                session,
                row,
                "moved",
                actor=user,
                at=now,
                element_id=element_id,
                name=element_name(path.specs[-1]),
                data={
                    "reason": text,
                    "from": list(row.current_tasks),
                    "direction": "forward",
                    "passed": path.passed,
                },
            )
            advance(path)
            for incident in self._open_incidents(session, instance_id):
                if incident.task_id == str(path.start.id):
                    incident.resolved_at, incident.resolved_by = now, user
            row.open_task_ids = None  # the tree changed: read the open rows again
            StepRunner(session, row, workflow, self.services, self.settings, user, now).run()
            self._save(session, row, workflow, now, user)
        self.instances.remember(row, workflow)
        return InstanceView.of(row)

    # ------------------------------------------------------------------ helpers
    def _console_user(self, session: Session, username: str, only: str | None = None):
        user = require_user(session, username)
        allowed = (only,) if only else CONSOLE_ROLES
        if not any(user.has_role(role) for role in allowed):
            who = "administrator" if only == ADMIN else "administrator atau analis"
            raise Forbidden(f"hanya {who} yang boleh melakukan tindakan ini")
        return user

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

    def _running_row(self, session: Session, instance_id: int) -> InstanceRecord:
        lock_instance(session, instance_id)
        row = self._instance_row(session, instance_id)
        if row.status in FINISHED:
            word = "selesai" if row.status == "completed" else "dihentikan"
            raise Conflict(f"permohonan #{instance_id} sudah {word}")
        return row

    def _active_row(self, session: Session, instance_id: int) -> InstanceRecord:
        row = self._running_row(session, instance_id)
        if row.status == SUSPENDED:
            raise Conflict(f"permohonan #{instance_id} sedang ditangguhkan; lanjutkan dahulu")
        return row

    @staticmethod
    def _open_incidents(session: Session, instance_id: int) -> list[Incident]:
        return list(
            session.scalars(
                select(Incident).where(
                    Incident.instance_id == instance_id, Incident.resolved_at.is_(None)
                )
            )
        )

    @staticmethod
    def _passed_task(workflow, element_id: str):
        passed = [
            task
            for wf in (workflow, *workflow.subprocesses.values())
            for task in wf.tasks.values()
            if task.task_spec.bpmn_id == element_id and task.state == TaskState.COMPLETED
        ]
        if not passed and element_id in pruned_summary(workflow)["completed"]:
            raise EngineError(
                f"langkah '{element_id}' sudah dilalui sebelum putaran perbaikan yang terakhir "
                "dan riwayat rincinya sudah diringkas; permohonan hanya dapat dikembalikan ke "
                "langkah putaran yang sedang berjalan"
            )
        if not passed:
            raise EngineError(
                f"langkah '{element_id}' belum pernah dilalui permohonan ini; sebuah permohonan "
                "hanya dapat dikembalikan ke langkah yang sudah dilalui"
            )
        return max(passed, key=lambda task: task.last_state_change)

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


def _forget_removed_waiting(workflow) -> None:
    """SpiffWorkflow's reset leaves the removed branch's waiting events (the escalation timers of
    the steps after the target) in its event manager, whose next refresh then fails on a task
    without a parent: drop every entry whose task left the tree."""
    manager = workflow.event_manager
    for task_id, task in list(manager.tasks.items()):
        if task.workflow.tasks.get(task_id) is not task:
            manager.tasks.pop(task_id)
