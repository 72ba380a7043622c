"""Engine benchmark: full SOP instances through the facade vs raw in-memory SpiffWorkflow.

    .venv/bin/python bench/engine.py [--instances 300] [--database-url URL]

The facade run persists every step (state JSON, human tasks, audit rows) in
SQLite (a temp file) with every service topic as a no-op handler (declared
``writes=False``, so it runs without a savepoint); the raw run drives the same
diagram with BpmnWorkflow in memory. Prints instances/s for both and the ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from engine.config import Settings  # noqa: E402
from engine.db import Database  # noqa: E402
from engine.facade import BpmnEngine  # noqa: E402
from engine.parser import LaksanaParser  # noqa: E402
from engine.scripting import RestrictedScriptEngine, reset_dispatcher, set_dispatcher  # noqa: E402
from engine.services import KNOWN_TOPICS, ServiceRegistry  # noqa: E402
from engine.users import seed_demo_users  # noqa: E402
from tests.factories import PROCESS, ROLE_OF_STEP, gen_form  # noqa: E402

DIAGRAM = ROOT / "processes" / "permohonan_data_agregat.bpmn"
FORMS = {step: gen_form(step) for step in ROLE_OF_STEP}


def noop_registry() -> ServiceRegistry:
    registry = ServiceRegistry()
    for topic in KNOWN_TOPICS:
        registry.register(topic, lambda call: {}, writes=False)
    return registry


def run_facade(n: int, url: str | None) -> float:
    tmp = Path(tempfile.mkdtemp())
    database = Database(url or f"sqlite:///{tmp / 'bench.db'}")
    database.drop_all()
    database.create_all()
    with database.transaction() as session:
        seed_demo_users(session, "bench")
    engine = BpmnEngine(database, noop_registry(), Settings(instance_dir=tmp))
    engine.deploy_path(DIAGRAM)
    started = time.perf_counter()
    for _ in range(n):
        instance = engine.start(PROCESS, user="sekretariat")
        while instance.current_tasks:
            task = engine.tasks(instance_id=instance.id)[0]
            instance = engine.complete(task.id, ROLE_OF_STEP[task.element_id], FORMS[task.element_id])
        assert instance.status == "completed", instance
    return n / (time.perf_counter() - started)


def run_raw(n: int) -> float:
    parser = LaksanaParser()
    parser.add_bpmn_xml_text(DIAGRAM.read_bytes(), DIAGRAM.name)
    spec = parser.get_spec(PROCESS)
    subprocess_specs = parser.get_subprocess_specs(PROCESS)
    token = set_dispatcher(lambda task, topic: {})
    try:
        started = time.perf_counter()
        for _ in range(n):
            workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=RestrictedScriptEngine())
            workflow.do_engine_steps()
            while not workflow.completed:
                task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
                task.data.update(FORMS[task.task_spec.bpmn_id])
                task.run()
                workflow.do_engine_steps()
        return n / (time.perf_counter() - started)
    finally:
        reset_dispatcher(token)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="default: a temp SQLite file")
    args = parser.parse_args()
    run_raw(20)  # warm-up: imports, compiled expressions
    raw = run_raw(args.instances)
    facade = run_facade(args.instances, args.database_url)
    print(f"instances: {args.instances} (9 user tasks, 8 service tasks, 8 timer boundary events each)")
    print(f"raw SpiffWorkflow in memory : {raw:8.1f} instances/s")
    print(f"facade with store and audit : {facade:8.1f} instances/s")
    print(f"ratio facade/raw            : {facade / raw:8.2f}  (target >= 0.35)")


if __name__ == "__main__":
    main()
