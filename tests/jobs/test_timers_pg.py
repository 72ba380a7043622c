"""PostgreSQL: timers fire by themselves, through ``laksana worker`` and the periodic tick job."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import select, text

from engine.models import Notification
from jobs.worker import TICK_TASK, build_app
from tests.conftest import Actions
from web.composition import registration

from .conftest import queued_jobs, wait_for

pytestmark = pytest.mark.postgres


def escalations(engine) -> list[Notification]:
    with engine.db.transaction() as session:
        return list(session.scalars(select(Notification).where(Notification.kind == "escalation")))


def test_a_due_timer_fires_without_anyone_calling_tick(pg_engine, clock, workers):
    actions = Actions(pg_engine, clock)
    instance = actions.start()
    actions.run_until(instance.id, stop_before="beri_akses")  # Kasi: 10 standard minutes
    due = pg_engine.instance(instance.id).next_timer
    assert due is not None and due < datetime.now(timezone.utc)  # due in real time
    assert escalations(pg_engine) == []

    # two workers, as on two machines: each runs the periodic deferrer
    workers.start("--concurrency", "2")
    workers.start()
    [note] = wait_for(lambda: escalations(pg_engine), "the escalation of the due timer")
    assert note.recipient_role == "kabid_piak" and "Memberikan hak akses" in note.subject
    assert "timer_fired" in [h.action for h in pg_engine.history(instance.id)]
    assert pg_engine.instance(instance.id).current_tasks == ["beri_akses"]

    ticks = wait_for(
        lambda: [j for j in queued_jobs(pg_engine.db, TICK_TASK) if j["status"] == "succeeded"],
        "a finished tick job",
    )
    # the workers deferred each minute's tick once between them, whatever their number
    every = queued_jobs(pg_engine.db, TICK_TASK)
    minutes = {job["args"]["timestamp"] for job in every}
    assert len(every) == len(minutes) and ticks
    assert workers.stop() == [0, 0], workers.logs()
    assert "berhenti" in workers.logs()


def test_one_tick_waits_at_most_and_ticks_never_overlap(pg_engine):
    app = build_app(pg_engine, registration())
    tick = app.tasks[TICK_TASK]
    assert tick.lock == TICK_TASK  # a running tick makes the next one wait
    assert tick.queueing_lock == TICK_TASK

    async def defer_twice() -> None:
        async with app.open_async():
            await tick.defer_async(timestamp=1)
            with pytest.raises(AlreadyEnqueued):
                await tick.defer_async(timestamp=2)

    asyncio.run(defer_twice())
    assert [job["status"] for job in queued_jobs(pg_engine.db, TICK_TASK)] == ["todo"]


def test_init_db_applies_the_queue_schema_once(pg_store):
    from jobs.schema import ensure_schema

    assert ensure_schema(pg_store) is False  # the fixture applied it; a second run leaves it
    with pg_store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar() == 0
