"""Deferring a job in the caller's own transaction (the transactional outbox, for free).

procrastinate keeps jobs as rows of ``procrastinate_jobs`` in the engine store's PostgreSQL, and
its SQL function ``procrastinate_defer_jobs_v1`` (procrastinate 3.x schema) inserts them. Calling
it on the step's SQLAlchemy connection makes the job part of the step: a step that rolls back
(an incident, a race lost, a crash) defers nothing, and a committed step's job is never lost.
The function's insert fires procrastinate's NOTIFY trigger, so a listening worker wakes at commit.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

DEFAULT_QUEUE = "default"

_DEFER = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW("
    ":queue_name, :task_name, :priority, :lock, :queueing_lock, CAST(:args AS jsonb), "
    "CAST(:scheduled_at AS timestamptz))::procrastinate_job_to_defer_v1]))"
)


def queue_present(connection) -> bool:
    """True on PostgreSQL when procrastinate's schema is there (``laksana init-db`` applies it)."""
    if connection.dialect.name != "postgresql":
        return False
    return bool(
        connection.execute(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).scalar()
    )


def available(session: Session) -> bool:
    """Whether work should be deferred to a worker (else the caller does it inline: embedded mode)."""
    return queue_present(session.connection())


def defer(
    session: Session,
    task_name: str,
    args: dict[str, Any],
    *,
    queue: str = DEFAULT_QUEUE,
    priority: int = 0,
    lock: str | None = None,
    queueing_lock: str | None = None,
    scheduled_at: datetime | None = None,
) -> int:
    """Insert the job in ``session``'s transaction; returns its id (it runs once that commits)."""
    return int(
        session.connection()
        .execute(
            _DEFER,
            {
                "queue_name": queue,
                "task_name": task_name,
                "priority": priority,
                "lock": lock,
                "queueing_lock": queueing_lock,
                "args": json.dumps(args),
                "scheduled_at": scheduled_at,
            },
        )
        .scalar_one()
    )
