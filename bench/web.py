"""Web benchmark: the inbox page and the complete-task POST through the WSGI app on a big store.

    .venv/bin/python bench/web.py [--finished 100000] [--open 10000] [--requests 300] [--profile]
        [--api-instances 200] [--ratelimit-storage redis://127.0.0.1:6379/0]

The store (SQLite, a temp file) holds ``--finished`` finished requests and
``--open`` open ones, bulk-inserted with SQLAlchemy Core: one real instance is
run through the engine to each step (and one to the end), and its instance row
(state JSON included), open human task and audit rows are cloned with new ids,
task UUIDs and times spread over two years. Then the Flask test client (one
worker, CSRF on) signs in as the Kepala Dinas and measures GET /kotak-masuk
and POST /tugas/<id> (the disposition, each on a different request, so the
engine reads every workflow from its stored state). Prints p50/p95 per case.
On the same store, the JSON API with a personal token (``bench/api.py``): the cost of
authenticating one request, and 8-task instances driven over the API per second.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bench import api as api_bench  # noqa: E402
from engine.clock import office_date  # noqa: E402
from engine.config import Settings  # noqa: E402
from engine.db import Database  # noqa: E402
from engine.facade import BpmnEngine  # noqa: E402
from engine.models import AuditEntry, HumanTask, ProcessInstance  # noqa: E402
from office.roles import seed_demo_users  # noqa: E402
from tests.factories import PROCESS, ROLE_OF_STEP, SOP_STEPS, fake_registry, gen_form, gen_letter  # noqa: E402
from web.app import create_app  # noqa: E402

PASSWORD = "bench-password"
STEPS = ["registrasi_surat", *SOP_STEPS]
#: the standard minutes of the SOP steps (for realistic durations and due times)
STANDARD = {
    "disposisi_kadin": 5,
    "disposisi_kabid": 5,
    "beri_akses": 10,
    "ekstraksi_data": 60,
    "pemeriksaan_kasi": 15,
    "laporan_kabid": 5,
    "tanda_tangan_kadin": 5,
    "pengiriman_jfu": 20,
}
BATCH = 5000
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_INSTANCE_COLUMNS = [c.name for c in ProcessInstance.__table__.columns]
_AUDIT_COLUMNS = [c.name for c in AuditEntry.__table__.columns if c.name != "id"]


class Template:
    """One real instance stopped before ``step`` (None: run to the end): rows to clone."""

    def __init__(self, engine: BpmnEngine, step: str | None, today: date) -> None:
        instance = engine.start(PROCESS, gen_letter(today), "sekretariat")
        while instance.current_tasks and instance.current_tasks[0] != step:
            current = instance.current_tasks[0]
            task = engine.tasks(instance_id=instance.id)[0]
            instance = engine.complete(task.id, ROLE_OF_STEP[current], gen_form(current, today))
        with engine.db.transaction() as session:
            row = session.get(ProcessInstance, instance.id)
            self.instance = {name: getattr(row, name) for name in _INSTANCE_COLUMNS}
            self.audit = [
                {name: getattr(a, name) for name in _AUDIT_COLUMNS}
                for a in session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.instance_id == instance.id)
                    .order_by(AuditEntry.id)
                )
            ]
            human = session.scalars(
                select(HumanTask).where(HumanTask.instance_id == instance.id)
            ).first()
            self.task = (
                {c.name: getattr(human, c.name) for c in HumanTask.__table__.columns}
                if human
                else None
            )
        self.origin = self.audit[0]["at"]


def _shifted_audit(
    template: Template, instance_id: int, start: datetime, rng: random.Random
) -> list[dict]:
    """The template's audit rows moved to ``start``, each step taking a plausible number of minutes."""
    rows, moment, previous = [], start, template.origin
    for entry in template.audit:
        if entry["at"] > previous:
            standard = STANDARD.get(entry["element_id"] or "", 3)
            moment += timedelta(minutes=max(rng.lognormvariate(0, 0.6) * standard, 0.5))
        previous = entry["at"]
        rows.append({**entry, "instance_id": instance_id, "at": moment})
    return rows


def _clone(template: Template, instance_id: int, start: datetime, rng: random.Random):
    audit = _shifted_audit(template, instance_id, start, rng)
    instance = {
        **template.instance,
        "id": instance_id,
        "started_at": start,
        "row_version": 1,
        "ended_at": audit[-1]["at"] if template.instance["status"] == "completed" else None,
        "business_key": uuid.uuid4().hex[:10].upper(),
    }
    task = None
    if template.task is not None:  # an open request: every task UUID of its state must be its own
        fresh: dict[str, str] = {}
        renamed = lambda match: fresh.setdefault(match.group(0), str(uuid.uuid4()))  # noqa: E731
        instance["state_json"] = UUID_PATTERN.sub(renamed, template.instance["state_json"])
        for row in audit:
            row["task_id"] = fresh.get(row["task_id"], row["task_id"]) if row["task_id"] else None
        new_id = fresh[template.task["id"]]
        ready = audit[-1]["at"]
        standard = STANDARD.get(template.task["element_id"])
        task = {
            **template.task,
            "id": new_id,
            "instance_id": instance_id,
            "ready_at": ready,
            "due_at": ready + timedelta(minutes=standard) if standard else None,
        }
    return instance, audit, task


def _flush(session, instances: list, audit: list, tasks: list) -> None:
    connection = session.connection()
    if instances:
        connection.execute(insert(ProcessInstance.__table__), instances)
    if tasks:
        connection.execute(insert(HumanTask.__table__), tasks)
    if audit:
        connection.execute(insert(AuditEntry.__table__), audit)
    instances.clear(), audit.clear(), tasks.clear()


def build_store(
    engine: BpmnEngine, finished: int, open_count: int, now: datetime, seed: int = 7
) -> None:
    rng = random.Random(seed)
    today = office_date(now)
    done = Template(engine, None, today)
    waiting = [Template(engine, step, today) for step in SOP_STEPS]
    next_id = max(t.instance["id"] for t in [done, *waiting]) + 1
    instances, audit, tasks = [], [], []
    # oldest first, as an office's store grows: the audit log is appended in time order
    starts = sorted(
        [(now - timedelta(days=rng.uniform(3, 730)), done) for _ in range(finished)]
        + [
            (now - timedelta(hours=rng.uniform(0.5, 72)), waiting[n % len(waiting)])
            for n in range(open_count)
        ],
        key=lambda pair: pair[0],
    )
    with engine.db.transaction() as session:
        for n, (start, template) in enumerate(starts):
            instance, rows, task = _clone(template, next_id + n, start, rng)
            instances.append(instance)
            audit.extend(rows)
            if task:
                tasks.append(task)
            if len(instances) >= BATCH:
                _flush(session, instances, audit, tasks)
        _flush(session, instances, audit, tasks)


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(int(round(0.95 * (len(ordered) - 1))), len(ordered) - 1)]
    return statistics.median(ordered), p95, statistics.fmean(ordered)


def _timed(call, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def signed_in_client(app, username: str = "kepala_dinas"):
    client = app.test_client()
    token = re.search(
        r'name="csrf-token" content="([^"]+)"', client.get("/masuk").get_data(as_text=True)
    ).group(1)
    response = client.post(
        "/masuk", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    page = client.get("/kotak-masuk").get_data(
        as_text=True
    )  # signing in starts a new session: a new token
    return client, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def measure(app, engine: BpmnEngine, requests: int, profile: bool) -> dict[str, list[float]]:
    client, token = signed_in_client(app)
    today = office_date(engine.clock())
    form = {**gen_form("disposisi_kadin", today), "csrf_token": token}
    form = {k: ("true" if v is True else v) for k, v in form.items()}
    with engine.db.transaction() as session:
        task_ids = list(
            session.scalars(
                select(HumanTask.id)
                .where(HumanTask.element_id == "disposisi_kadin")
                .order_by(HumanTask.ready_at)
                .limit(requests + 10)
            )
        )

    def inbox():
        assert client.get("/kotak-masuk").status_code == 200

    def overdue_inbox():
        assert client.get("/kotak-masuk?terlambat=1").status_code == 200

    pending = iter(task_ids)

    def complete():
        response = client.post(f"/tugas/{next(pending)}", data=form)
        assert response.status_code == 302, re.findall(
            r"<p[^>]*>([^<]+)</p>", response.get_data(as_text=True)
        )

    _timed(inbox, 10), _timed(complete, 10)  # warm-up: templates, statements, specs
    cases = {
        "GET /kotak-masuk": (inbox, requests),
        "GET /kotak-masuk?terlambat=1": (overdue_inbox, requests // 3),
        "POST /tugas/<id> (complete)": (complete, requests),
    }
    results = {}
    for case, (call, count) in cases.items():
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        results[case] = _timed(call, count)
        if profiler:
            profiler.disable()
            print(f"--- profile of {case}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    results["GET /dasbor/ (90 days, not cached)"] = measure_dashboard(app)
    return results


def measure_dashboard(app, count: int = 5) -> list[float]:
    """The manager's dashboard over the default 90 days, its one-minute cache emptied each time."""
    from engine import statistics as stats

    client, _ = signed_in_client(app, "manajer")

    def dashboard():
        stats._cache.clear()
        assert client.get("/dasbor/").status_code == 200

    return _timed(dashboard, count)


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, SQLite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--finished", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile each case (slower; for finding hot spots)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the store (a few GB) instead of deleting it"
    )
    parser.add_argument(
        "--api-instances", type=int, default=200, help="8-task instances driven over the API"
    )
    parser.add_argument(
        "--ratelimit-storage",
        default="memory://",
        help="the limits' store, e.g. redis://127.0.0.1:6379/0 (as in production)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes: checks the bench still runs (CI)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.finished, args.open, args.requests, args.api_instances = 40, 160, 3, 2

    tmp = Path(tempfile.mkdtemp(prefix="laksana-bench-web-"))
    settings = Settings(
        instance_dir=tmp / "instance",
        database_url=f"sqlite:///{tmp / 'bench.db'}",
        base_url="http://127.0.0.1:5000",
        ratelimit_storage=args.ratelimit_storage,
    )
    database = Database(settings.database_url)
    database.create_all()
    with database.transaction() as session:
        seed_demo_users(session, PASSWORD)
    now = datetime.now(timezone.utc)
    engine = BpmnEngine(database, fake_registry(), settings)
    engine.deploy_path(ROOT / "processes")
    started = time.perf_counter()
    build_store(engine, args.finished, args.open, now)
    print(
        f"store: {args.finished} finished + {args.open} open requests in {time.perf_counter() - started:.0f} s "
        f"({(tmp / 'bench.db').stat().st_size / 1e9:.1f} GB) at {tmp}"
    )
    app = create_app(
        # the API's per-account limit (300 a minute) would cap the driven instances at about 19 a
        # minute: raised here, the bench measures what the server can do
        {"LAKSANA_SETTINGS": settings, "API_RATE_LIMIT": "1000000 per minute"},
        engine=BpmnEngine(database, fake_registry(), settings),
    )
    results = measure(app, app.extensions["laksana.engine"], args.requests, args.profile)
    results.update(
        api_bench.measure_auth(app, app.extensions["laksana.engine"], PASSWORD, args.requests)
    )
    rate, cpu_rate, per_instance = api_bench.drive_instances(
        app, app.extensions["laksana.engine"], args.api_instances
    )
    results[f"API: 8-task instance ({rate:.1f}/s; {cpu_rate:.1f}/CPU-s)"] = per_instance
    print(f"machine: {machine()}; limits' store {args.ratelimit_storage}; load {os.getloadavg()}")
    print(f"{'case':38} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for case, samples in results.items():
        p50, p95, mean = _percentiles(samples)
        print(f"{case:38} {len(samples):5d} {p50:8.1f} {p95:8.1f} {mean:8.1f}")
    database.dispose()
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
