"""Rework-loop benchmark: does an instance's cost grow with the times its data was sent back?

    .venv/bin/python bench/rework.py [--loops 50] [--smoke]

One data-request instance is run to the Kasi's check, then sent back to the operator
``--loops`` times (operator extracts, Kasi says "perbaiki"). For loop 1 and the last loop it
prints the stored state's size and the CPU time of one rework loop (the operator's step and the
Kasi's step, through the facade on SQLite), with the workflow cache (one worker) and without it
(a cache miss on every action, what several workers mostly get). Target (issue 15): the last
loop costs at most 1.5x the first.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from engine.config import Settings  # noqa: E402
from engine.db import Database  # noqa: E402
from engine.facade import BpmnEngine  # noqa: E402
from engine.models import ProcessInstance  # noqa: E402
from engine.services import ServiceRegistry  # noqa: E402
from office.roles import seed_demo_users  # noqa: E402
from tests.factories import PROCESS, ROLE_OF_STEP, gen_form  # noqa: E402
from web.composition import registration  # noqa: E402

DIAGRAM = ROOT / "processes" / "permohonan_data_agregat.bpmn"


def noop_registry() -> ServiceRegistry:
    registry = ServiceRegistry()
    for topic in registration().topics():
        registry.register(topic, lambda call: {}, writes=False)
    return registry


def new_engine() -> BpmnEngine:
    tmp = Path(tempfile.mkdtemp())
    database = Database(f"sqlite:///{tmp / 'bench.db'}")
    database.create_all()
    with database.transaction() as session:
        seed_demo_users(session, "bench")
    engine = BpmnEngine(database, noop_registry(), Settings(instance_dir=tmp))
    engine.deploy_path(DIAGRAM)
    return engine


def step(engine: BpmnEngine, instance, element: str, **overrides):
    task_id = instance.open_task_ids[instance.current_tasks.index(element)]
    form = gen_form(element, date.today(), **overrides)
    return engine.complete(task_id, ROLE_OF_STEP[element], form)


def state_size(engine: BpmnEngine, instance_id: int) -> int:
    with engine.db.Session() as session:
        return session.scalar(
            select(func.length(ProcessInstance.state_json)).where(ProcessInstance.id == instance_id)
        )


def run(loops: int, cached: bool) -> list[tuple[int, float, int]]:
    """(loop, CPU ms of the loop's two actions, state bytes after it), for every loop."""
    engine = new_engine()
    instance = engine.start(PROCESS, user="sekretariat")
    while instance.current_tasks[0] != "pemeriksaan_kasi":
        instance = step(engine, instance, instance.current_tasks[0])
    figures = []
    for loop in range(1, loops + 1):
        started = time.process_time()
        if not cached:
            engine.instances.cache.clear()
        instance = step(engine, instance, "pemeriksaan_kasi", pemeriksaan_hasil="perbaiki")
        if not cached:
            engine.instances.cache.clear()
        instance = step(engine, instance, "ekstraksi_data")
        spent = (time.process_time() - started) * 1000
        figures.append((loop, spent, state_size(engine, instance.id)))
    return figures


def summary(figures: list[tuple[int, float, int]]) -> tuple[float, float, int, int]:
    """Median CPU of the first and last five loops, and the state size after the first and last."""
    head = sorted(ms for _, ms, _ in figures[:5])
    tail = sorted(ms for _, ms, _ in figures[-5:])
    return head[len(head) // 2], tail[len(tail) // 2], figures[0][2], figures[-1][2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", type=int, default=50)
    parser.add_argument("--smoke", action="store_true", help="6 loops: checks the bench runs")
    args = parser.parse_args()
    loops = 6 if args.smoke else args.loops
    for cached in (True, False):
        first, last, first_size, last_size = summary(run(loops, cached))
        label = "with the workflow cache" if cached else "cache miss on every action"
        print(
            f"{label}: loop 1-5 {first:.1f} ms, loop {loops - 4}-{loops} {last:.1f} ms "
            f"(x{last / first:.2f}); state {first_size / 1024:.1f} KB -> {last_size / 1024:.1f} KB"
        )


if __name__ == "__main__":
    main()
