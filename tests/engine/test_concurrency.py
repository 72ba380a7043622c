"""Two connections completing the same task: exactly one succeeds, the other is told who won.

Races between processes, and a kill -9 mid-step, are in test_races.py."""

import threading

import pytest

from engine.errors import Conflict
from engine.facade import BpmnEngine
from tests.factories import fake_registry, gen_form


def second_engine(engine) -> BpmnEngine:
    """Another process's engine on the same store: its own connection pool and cache."""
    from engine.db import Database

    return BpmnEngine(Database(engine.db.url), fake_registry(), engine.settings, clock=engine.clock)


def test_sequential_second_completion_names_who_completed_it(engine, actions):
    instance = actions.start()
    task = actions.open_task(instance.id)
    other = second_engine(engine)
    engine.complete(task.id, "sekretariat", gen_form("registrasi_surat"))

    with pytest.raises(
        Conflict, match=r"already completed by sekretariat at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
    ):
        other.complete(task.id, "sekretariat", gen_form("registrasi_surat"))


def test_threads_racing_on_one_task(engine, actions):
    instance = actions.start()
    task = actions.open_task(instance.id)
    engines = [engine, second_engine(engine)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(e):
        barrier.wait()
        try:
            e.complete(task.id, "sekretariat", gen_form("registrasi_surat"))
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=attempt, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("ok") == 1 and len(outcomes) == 2
    assert "already completed by sekretariat" in [o for o in outcomes if o != "ok"][0]
