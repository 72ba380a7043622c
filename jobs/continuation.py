"""The job engine's side of ``camunda:asyncBefore`` (see ``engine.async_steps``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .queue import available, defer

CONTINUE_TASK = "laksana.continue"


def defer_continuation(session: Session, instance_id: int, task_id: str) -> bool:
    """Defer the job that runs the task, in the step's transaction; False in embedded mode.

    The lock keeps two continuations of one instance from running at once (the engine's instance
    lock would make the second wait anyway, holding a worker thread)."""
    if not available(session):
        return False
    defer(
        session,
        CONTINUE_TASK,
        {"instance_id": instance_id, "task_id": task_id},
        lock=f"laksana.instance.{instance_id}",
    )
    return True
