"""Timers and incidents: what the clock and the administrators do to running instances.

``BpmnEngine`` inherits these (``tick``, ``incidents``, ``retry``); each instance moves in a
transaction of its own, as every other facade action.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from .clock import Clock
from .errors import Conflict, NotFound
from .instances import FINISHED, StaleInstance
from .locks import is_contention, lock_instance
from .models import Incident, ProcessInstance
from .records import IncidentView
from .runner import StepRunner, audit
from .steps import StepActions
from .users import require_user


class Upkeep(StepActions):
    """Mixed into BpmnEngine, which sets ``clock`` in its constructor."""

    clock: Clock

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
            try:
                with self.db.transaction() as session:
                    lock_instance(session, instance_id)
                    row = self._instance_row(session, instance_id)
                    if row.next_timer is None or row.next_timer > now or row.status in FINISHED:
                        continue  # another action moved it since the list was read
                    workflow = self.instances.load(session, row)
                    StepRunner(
                        session, row, workflow, self.services, self.settings, None, now
                    ).run()
                    self._save(session, row, workflow, now, None)
            except (StaleInstance, OperationalError) as exc:
                if isinstance(exc, OperationalError) and not is_contention(exc):
                    raise
                continue  # another worker is acting on it; the next tick sees it again if still due
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
            incident = session.get(Incident, incident_id)
            if incident is None:
                raise NotFound(f"no incident {incident_id}")
            lock_instance(session, incident.instance_id)
            session.refresh(incident)
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
