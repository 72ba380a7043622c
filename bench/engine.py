"""Engine benchmark: full SOP instances through the facade vs raw in-memory SpiffWorkflow.

    .venv/bin/python bench/engine.py [--instances 300] [--rounds 5] [--database-url URL]

The facade run persists every step (state JSON, human tasks, audit rows) in
SQLite (a temp file) with every service topic as a no-op handler (declared
``writes=False``, so it runs without a savepoint); the raw run drives the same
diagram with BpmnWorkflow in memory. Both submit each step's whole form (every
field, optional ones empty, as the task page posts it), so both carry the same
task data; the facade still validates every submission. Prints instances/s for
both and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from engine.config import Settings  # noqa: E402
from engine.db import Database  # noqa: E402
from engine.facade import BpmnEngine  # noqa: E402
from engine.forms import validate_form  # noqa: E402
from engine.parser import LaksanaParser  # noqa: E402
from engine.scripting import RestrictedScriptEngine, reset_dispatcher, set_dispatcher  # noqa: E402
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


class FacadeRun:
    """A facade on a fresh SQLite store (temp file), the diagram deployed, demo users seeded."""

    def __init__(self, url: str | None) -> None:
        tmp = Path(tempfile.mkdtemp())
        database = Database(url or f"sqlite:///{tmp / 'bench.db'}")
        database.drop_all()
        database.create_all()
        with database.transaction() as session:
            seed_demo_users(session, "bench")
        self.engine = BpmnEngine(database, noop_registry(), Settings(instance_dir=tmp))
        self.engine.deploy_path(DIAGRAM)
        today = date.today()
        #: each step's form as its task page submits it: every field, optional ones empty. The raw run
        #: submits the same, so SpiffWorkflow copies the same task data in both runs.
        self.forms = {
            step: validate_form(
                self.engine.step_form(PROCESS, step)[0], gen_form(step, today), today
            )
            for step in ROLE_OF_STEP
        }

    def __call__(self, n: int) -> float:
        engine, forms = self.engine, self.forms
        started = time.perf_counter()
        for _ in range(n):
            instance = engine.start(PROCESS, user="sekretariat")
            while instance.current_tasks:  # each action returns the ids of the tasks it opened
                step, task_id = instance.current_tasks[0], instance.open_task_ids[0]
                instance = engine.complete(task_id, ROLE_OF_STEP[step], forms[step])
            assert instance.status == "completed", instance
        return n / (time.perf_counter() - started)


def run_raw(n: int, forms: dict[str, dict]) -> float:
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
                task.data.update(forms[task.task_spec.bpmn_id])
                task.run()
                workflow.do_engine_steps()
        return n / (time.perf_counter() - started)
    finally:
        reset_dispatcher(token)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument(
        "--rounds", type=int, default=5, help="raw and facade alternate this many times"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="default: a temp SQLite file; a given database is scratch: its tables are dropped",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes: checks the bench still runs (CI)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.instances, args.rounds = 4, 2
    facade = FacadeRun(args.database_url)
    run_raw(20, facade.forms)  # warm-up: imports, compiled expressions, caches
    facade(5)
    per_round = max(1, args.instances // args.rounds)
    raw_rates, facade_rates = [], []
    for _ in range(args.rounds):  # alternating rounds: a busy machine slows both alike
        raw_rates.append(run_raw(per_round, facade.forms))
        facade_rates.append(facade(per_round))
    ratios = sorted(f / r for f, r in zip(facade_rates, raw_rates, strict=True))
    print(
        f"instances: {per_round * args.rounds} in {args.rounds} rounds "
        "(9 user tasks, 8 service tasks, 8 timer boundary events each)"
    )
    print(
        f"raw SpiffWorkflow in memory : {statistics.median(raw_rates):8.1f} instances/s (median of rounds)"
    )
    print(
        f"facade with store and audit : {statistics.median(facade_rates):8.1f} instances/s (median of rounds)"
    )
    print(
        f"ratio facade/raw            : {statistics.median(ratios):8.2f}  (median; rounds {ratios[0]:.2f}-"
        f"{ratios[-1]:.2f}; target >= 0.35)"
    )


if __name__ == "__main__":
    main()
