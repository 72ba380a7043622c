"""``camunda:asyncBefore`` service tasks: the step that reaches one ends before it, a job runs it.

When the engine reaches a service task with ``camunda:asyncBefore="true"`` and a job engine is
registered (``ServiceRegistry.async_continuation``, set by the ``jobs`` plug-in), the dispatcher
asks it to defer a continuation job in the step's transaction; the task stays STARTED, the step
commits without running the handler (audit ``async_deferred``), and the person who completed the
previous step does not wait for it. The job calls :func:`continue_task`, which locks the instance
and runs the task and every automatic step after it, exactly as a retry does (a failure is an
incident as usual). Without a job engine (embedded mode) the task runs inline as any other.
"""

from __future__ import annotations

from uuid import UUID

from SpiffWorkflow.util.task import TaskState

from .instances import FINISHED
from .locks import lock_instance
from .runner import ASYNC_RELEASED, StepRunner, audit


def continue_task(engine, instance_id: int, task_id: str) -> bool:
    """Run the deferred task ``task_id`` of ``instance_id`` and what follows; False when there
    is nothing to continue (the instance ended or was cancelled, or the task already ran)."""
    now = engine.clock()
    with engine.db.transaction() as session:
        lock_instance(session, instance_id)
        row = engine.instances.get(session, instance_id)
        if row is None or row.status in FINISHED:
            return False
        workflow = engine.instances.load(session, row)
        try:
            task = workflow.get_task_from_id(UUID(task_id))
        except Exception:  # noqa: BLE001 - SpiffWorkflow's TaskNotFoundException and bad ids
            return False
        if task is None or task.state != TaskState.STARTED:
            return False
        task.internal_data[ASYNC_RELEASED] = True
        audit(session, row, "async_continued", actor=None, at=now, task=task)
        StepRunner(session, row, workflow, engine.services, engine.settings, None, now).run(task)
        engine._save(session, row, workflow, now, None)
    engine.instances.remember(row, workflow)
    return True
