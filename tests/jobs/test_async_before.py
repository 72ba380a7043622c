"""``camunda:asyncBefore``: the step ends before the service task and a job continues it
(PostgreSQL, a real worker); without a job engine the task runs inline (embedded mode)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine.models import Notification
from jobs.continuation import CONTINUE_TASK, defer_continuation

from .conftest import queued_jobs, wait_for

DIAGRAM = Path(__file__).parent / "diagrams" / "async_before.bpmn"


def notes(engine) -> list[Notification]:
    with engine.db.transaction() as session:
        query = select(Notification).where(Notification.kind == "uji_async")
        return list(session.scalars(query))


def actions(engine, instance_id: int) -> list[str]:
    return [h.action for h in engine.history(instance_id)]


def test_without_a_job_engine_the_task_runs_inline(engine):
    engine.services.async_continuation = defer_continuation  # declines: SQLite has no queue
    engine.deploy_path(DIAGRAM)
    instance = engine.start("uji_async", {"nomor": "7"})
    assert engine.instance(instance.id).status == "completed"
    [note] = notes(engine)
    assert note.subject == "Permohonan 7" and note.recipient_role == "kasi"
    assert "async_deferred" not in actions(engine, instance.id)


@pytest.mark.postgres
def test_the_step_stops_before_the_task_and_a_worker_continues(pg_engine, workers):
    pg_engine.services.async_continuation = defer_continuation  # as the jobs plug-in declares
    pg_engine.deploy_path(DIAGRAM)
    instance = pg_engine.start("uji_async", {"nomor": "7"})

    assert pg_engine.instance(instance.id).status == "running"
    assert notes(pg_engine) == []  # the handler did not run inside the starting step
    assert actions(pg_engine, instance.id)[-1] == "async_deferred"
    [job] = queued_jobs(pg_engine.db, CONTINUE_TASK)
    assert job["status"] == "todo" and job["args"]["instance_id"] == instance.id

    workers.start()
    wait_for(lambda: pg_engine.instance(instance.id).status == "completed", "the continuation")
    [note] = notes(pg_engine)
    assert note.subject == "Permohonan 7"
    history = actions(pg_engine, instance.id)
    assert history[history.index("async_deferred") :] == [
        "async_deferred",
        "async_continued",
        "service_ok",
        "ended",
    ]
    wait_for(
        lambda: [j["status"] for j in queued_jobs(pg_engine.db, CONTINUE_TASK)] == ["succeeded"],
        "the continuation job to succeed",
    )


def test_a_deferred_task_is_stored_started_and_continued_once(engine):
    from engine.async_steps import continue_task

    deferred = []
    engine.services.async_continuation = lambda session, i, t: deferred.append((i, t)) or True
    engine.deploy_path(DIAGRAM)
    instance = engine.start("uji_async", {"nomor": "8"})
    [(instance_id, task_id)] = deferred
    assert instance_id == instance.id and notes(engine) == []
    engine.instances.cache.clear()  # the job reads the instance back from the store

    assert continue_task(engine, instance_id, task_id) is True
    assert engine.instance(instance.id).status == "completed"
    assert [n.subject for n in notes(engine)] == ["Permohonan 8"]
    assert continue_task(engine, instance_id, task_id) is False  # a second job finds it done
    assert len(deferred) == 1  # the job's own run did not defer again
