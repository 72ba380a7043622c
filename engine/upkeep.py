"""Timers: what the clock does to running instances.

``BpmnEngine`` inherits ``tick``; each instance moves in a transaction of its own, as every other
facade action. What administrators do to instances (incidents, retry, suspend, ...) is
``engine.operations``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from .clock import Clock
from .instances import FINISHED, StaleInstance
from .locks import is_contention, lock_instance
from .models import ProcessInstance
from .runner import StepRunner
from .steps import StepActions


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
