"""What operators do to an instance that is stuck or must change course: the facade's console half.

``BpmnEngine`` inherits these. Each is one transaction that locks the instance, checks who
asks (administrators and analysts; moving an instance and editing its data are for
administrators; ``engine.console_guards``), records an audit row with the reason, and saves the
instance:

- ``incidents``, ``retry`` (optionally after editing the failed step's data), ``skip`` (a
  failed service step counts as done, with the data it should have written), in
  ``engine.incident_actions``;
- ``suspend`` / ``resume``: a suspended instance takes no action (no task is offered, no timer
  fires); on resume its open steps are offered again, with their due times counted afresh;
- ``terminate`` (``cancel``): the instance ends with a reason; its documents stay; the requester
  is told (``engine.termination``);
- ``move``: back to a step the instance has already passed (SpiffWorkflow resets the branch);
  ``move_forward``: on to a later step of the same flow (``engine.move_forward``);
- ``migrate``: running instances of one version onto another (``engine.migration``).

This module holds the instance's course (suspend, resume, terminate, move). Messages are for people, in Bahasa Indonesia.
"""

from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from .console_guards import ADMIN, checked_reason
from .errors import Conflict, EngineError
from .incident_actions import IncidentActions
from .instances import FINISHED, SUSPENDED
from .move_forward import advance, forward_path, steps_ahead
from .records import InstanceView
from .runner import StepRunner, audit, element_name
from .serialization import pruned_summary
from .termination import Terminated, tell_requester
from .users import require_user
from .workflow_scan import current_data


class Operations(IncidentActions):
    """Mixed into BpmnEngine, which sets the attributes ``ConsoleGuards`` names."""

    def suspend(self, instance_id: int, user: str, reason: str) -> InstanceView:
        text = checked_reason(reason)
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
        return self._end(instance_id, user, checked_reason(reason), console=True)

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
        text = checked_reason(reason)
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
        text = checked_reason(reason)
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


def _forget_removed_waiting(workflow) -> None:
    """SpiffWorkflow's reset leaves the removed branch's waiting events (the escalation timers of
    the steps after the target) in its event manager, whose next refresh then fails on a task
    without a parent: drop every entry whose task left the tree."""
    manager = workflow.event_manager
    for task_id, task in list(manager.tasks.items()):
        if task.workflow.tasks.get(task_id) is not task:
            manager.tasks.pop(task_id)
