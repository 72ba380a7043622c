"""Races between separate processes, and a kill -9 mid-step: one winner, nothing half-done.

Each contender is its own OS process (as two gunicorn workers are) with its own connection
pool and workflow cache. Every service step they run leaves a trace (a document, a running
number, an access grant) and then pauses, so both are mid-transaction together. After the race
the store must hold exactly the traces of the steps whose ``service_ok`` audit rows committed:
a loser leaves no document, number, grant or audit row behind.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import timedelta

from sqlalchemy import func, select

from engine.archive import next_number, store_document
from engine.db import Database
from engine.errors import Conflict
from engine.facade import BpmnEngine
from engine.models import AuditEntry, Counter, Document, HumanTask
from engine.users import create_user
from tests.factories import fake_registry, gen_form
from warehouse.models import AccessGrant

FORK = multiprocessing.get_context("fork")
TRACE = "race_trace"
PAUSE = 0.3


def traced_registry(pause: float = PAUSE, marker: str | None = None):
    """The stand-in handlers, each also writing a document, a running number and a grant."""
    registry = fake_registry()
    for topic in registry.topics():
        handler = registry.get(topic)
        if handler is not None and registry.writes(topic):
            registry.register(topic, _traced(handler, pause, marker))
    return registry


_calls = []


def _traced(handler, pause: float, marker: str | None):
    """With a ``marker``: from the second step on (the first one's savepoint is released by then),
    say so in the marker file and pause; the parent kills the process there."""

    def run(call):
        _calls.append(call.element_id)
        result = handler(call)
        store_document(
            call.session,
            kind=TRACE,
            filename="trace.pdf",
            content=os.urandom(8),
            instance_id=call.instance_id,
        )
        next_number(call.session, TRACE, 2026)
        call.session.add(
            AccessGrant(instance_id=call.instance_id, operator=TRACE, expires_at=call.now)
        )
        call.session.flush()
        if marker is None:
            time.sleep(pause)
        elif len(_calls) >= 2:
            open(marker, "w").close()
            time.sleep(pause)
        return result

    return run


def _contender(url, settings, now, action, barrier, results, pause, marker):
    engine = BpmnEngine(Database(url), traced_registry(pause, marker), settings, clock=lambda: now)
    barrier.wait(30)
    try:
        action(engine)
        results.put("ok")
    except Conflict as exc:
        results.put(f"conflict: {exc}")
    except Exception as exc:  # noqa: BLE001 - the test reports any raw error
        results.put(f"error: {type(exc).__name__}: {exc}")


def race(engine, *actions, pause: float = PAUSE) -> list[str]:
    """Run each action in its own process at the same moment; their outcomes, in order."""
    engine.db.dispose()  # no pooled connection may be shared with the children
    barrier, queues = FORK.Barrier(len(actions)), [FORK.Queue() for _ in actions]
    now = engine.clock()
    processes = [
        FORK.Process(
            target=_contender,
            args=(engine.db.url, engine.settings, now, action, barrier, queue, pause, None),
        )
        for action, queue in zip(actions, queues, strict=True)
    ]
    for process in processes:
        process.start()
    outcomes = [queue.get(timeout=60) for queue in queues]
    for process in processes:
        process.join(30)
    engine.instances.cache.clear()
    return outcomes


def count(engine, query) -> int:
    with engine.db.Session() as session:
        return session.scalar(query) or 0


def assert_nothing_partial(engine) -> None:
    """Every trace belongs to a committed service step: none came from a loser."""
    service_steps = count(
        engine,
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "service_ok"),
    )
    documents = count(
        engine, select(func.count()).select_from(Document).where(Document.kind == TRACE)
    )
    number = count(engine, select(Counter.value).where(Counter.name == TRACE))
    grants = count(
        engine,
        select(func.count()).select_from(AccessGrant).where(AccessGrant.operator == TRACE),
    )
    assert documents == number == grants, (documents, number, grants)
    assert documents <= service_steps


def completions(engine, task_id) -> int:
    return count(
        engine,
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.task_id == task_id, AuditEntry.action == "completed"),
    )


def at_beri_akses(engine, actions):
    instance = actions.start()
    actions.run_until(instance.id, stop_before="beri_akses")
    return instance, actions.open_task(instance.id, "beri_akses")


def complete_beri_akses(task_id):
    return lambda e: e.complete(task_id, "kasi", gen_form("beri_akses"))


def test_two_completions_one_winner_and_no_trace_of_the_loser(engine, actions):
    instance, task = at_beri_akses(engine, actions)
    outcomes = race(engine, complete_beri_akses(task.id), complete_beri_akses(task.id))

    assert sorted(o[:8] for o in outcomes) == ["conflict", "ok"], outcomes
    assert "already completed by kasi at" in [o for o in outcomes if o != "ok"][0]
    assert completions(engine, task.id) == 1
    assert engine.instance(instance.id).current_tasks == ["ekstraksi_data"]
    assert count(engine, select(Counter.value).where(Counter.name == TRACE)) >= 1
    assert_nothing_partial(engine)


def test_two_claims_one_holder_and_the_other_told_who(engine, actions):
    with engine.db.transaction() as session:
        create_user(session, "kasi2", "laksana-demo", ["kasi"], "Kasi Dua", "Kasi", "k2@x.invalid")
    _, task = at_beri_akses(engine, actions)
    outcomes = race(
        engine, lambda e: e.claim(task.id, "kasi"), lambda e: e.claim(task.id, "kasi2"), pause=0
    )

    assert sorted(o[:8] for o in outcomes) == ["conflict", "ok"], outcomes
    winner = ["kasi", "kasi2"][outcomes.index("ok")]
    loser_message = [o for o in outcomes if o != "ok"][0]
    assert f"already claimed by {winner} since 20" in loser_message
    with engine.db.Session() as session:
        assert session.get(HumanTask, task.id).claimed_by == winner
        claims = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.task_id == task.id, AuditEntry.action == "claimed")
        )
    assert claims == 1


def test_claim_against_completion_is_a_clear_conflict_or_a_claim_first(engine, actions):
    with engine.db.transaction() as session:
        create_user(session, "kasi2", "laksana-demo", ["kasi"], "Kasi Dua", "Kasi", "k2@x.invalid")
    instance, task = at_beri_akses(engine, actions)
    outcomes = race(engine, complete_beri_akses(task.id), lambda e: e.claim(task.id, "kasi2"))

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("ok") == 1, outcomes
    if outcomes[0] == "ok":  # the completion won: the claim is told who completed the task
        assert "already completed by kasi" in outcomes[1]
        assert completions(engine, task.id) == 1
    else:  # the claim won: the completion is told who holds the task, and the task stays open
        assert "already claimed by kasi2" in outcomes[0]
        assert completions(engine, task.id) == 0
        assert engine.instance(instance.id).current_tasks == ["beri_akses"]
    assert_nothing_partial(engine)


def test_tick_against_completion_never_a_raw_error(engine, actions, clock):
    instance, task = at_beri_akses(engine, actions)
    due = task.due + timedelta(minutes=1)
    outcomes = race(engine, complete_beri_akses(task.id), lambda e: e.tick(due))

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes[0] == "ok" or "changed by another action" in outcomes[0], outcomes
    assert completions(engine, task.id) == (1 if outcomes[0] == "ok" else 0)
    assert_nothing_partial(engine)
    expected = ["ekstraksi_data"] if outcomes[0] == "ok" else ["beri_akses"]
    assert engine.instance(instance.id).current_tasks == expected


def test_kill_9_during_a_step_leaves_nothing(engine, actions, tmp_path):
    instance, task = at_beri_akses(engine, actions)
    engine.db.dispose()
    marker = str(tmp_path / "half-way")
    child = FORK.Process(
        target=_contender,
        args=(
            engine.db.url,
            engine.settings,
            engine.clock(),
            complete_beri_akses(task.id),
            FORK.Barrier(1),
            FORK.Queue(),
            60.0,
            marker,
        ),
    )
    child.start()
    deadline = time.monotonic() + 60
    while not os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.path.exists(marker), "the step never started"
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)

    assert completions(engine, task.id) == 0
    assert (
        count(engine, select(func.count()).select_from(Document).where(Document.kind == TRACE)) == 0
    )
    assert engine.instance(instance.id).current_tasks == ["beri_akses"]
    with engine.db.Session() as session:
        assert session.scalar(select(func.count()).select_from(AccessGrant)) == 0
    assert_nothing_partial(engine)
    # and the step can be done again afterwards
    engine.instances.cache.clear()
    assert engine.complete(task.id, "kasi", gen_form("beri_akses")).current_tasks == [
        "ekstraksi_data"
    ]
