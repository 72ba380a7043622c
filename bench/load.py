"""Load benchmark: whole data-request instances over HTTP against gunicorn on PostgreSQL.

    .venv/bin/python bench/load.py [--workers 1,2,4] [--clients 8] [--instances 60] [--repeat 3]
                                  [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
    .venv/bin/python bench/load.py --smoke      # 1 worker, 2 clients, 4 instances

For each web worker count: a fresh PostgreSQL database (``laksana_load``, created and dropped
through ``--admin-url``), ``laksana init-db``, ``roles seed``, ``deploy``, ``seed-demo``; a small warehouse and
the local PKI built once; ``laksana serve --workers N`` plus two ``laksana worker`` job workers;
rate limits in Redis. The instances are started through the engine (the letter's registration
is the first step the clients do); then ``--clients`` processes share the work from one pool, as
office staff share an inbox: each client has its own account per role and a personal API token,
asks for its tasks, claims one (a claim another client won is a 409 and the client moves on) and
completes it with the step's form (real warehouse queries, PDF rendering and signing run in the
web workers). The clients start together once they have imported what they need, and the
timed window runs from that start to the moment the store holds every instance completed. At
the end the store is checked: every instance completed, each task completed once, no task
claimed by two accounts, no running number given twice, nothing stuck.

Prints per worker count: completions/s, p95 of a completion, instances/s, the checks, and the
CPU a completion cost in the web workers, the job workers, PostgreSQL and the clients (from
/proc, ``bench/cpu_use.py``). Runs on this 2-core machine vary by ±15 %: ``--repeat N`` runs the
worker counts in N interleaved rounds and ends with the median of each and their ratio.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench import cpu_use  # noqa: E402

LAKSANA = str(Path(sys.executable).with_name("laksana"))
ROLES = ("sekretariat", "kepala_dinas", "kabid_piak", "kasi", "operator", "jfu")
DATABASE = "laksana_load"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def laksana(env: dict, *args: str) -> None:
    done = subprocess.run([LAKSANA, *args], env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"laksana {' '.join(args)} failed: {done.stderr.strip()}")


def fresh_database(admin_url: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{DATABASE}"


def prepare(env: dict, clients: int, instances: int) -> dict[str, dict[str, str]]:
    """The store, one account and token per client and role, and the instances to work on."""
    from engine.config import Settings
    from engine.users import create_user
    from tests.factories import PROCESS
    from web.composition import build_engine

    laksana(env, "init-db")
    laksana(env, "roles", "seed")
    laksana(env, "deploy")
    laksana(env, "seed-demo")
    settings = Settings(
        instance_dir=Path(env["LAKSANA_INSTANCE_DIR"]),
        database_url=env["LAKSANA_DATABASE_URL"],
        warehouse_url=env["LAKSANA_WAREHOUSE_URL"],
    )
    engine = build_engine(settings)
    database = engine.db
    tokens: dict[str, dict[str, str]] = {}
    for client in range(clients):
        tokens[str(client)] = {}
        for role in ROLES:
            username = f"{role}_c{client}" if role != "operator" else "operator"
            if role != "operator":
                with database.transaction() as session:
                    create_user(session, username, "bench-password", [role], username, role)
            tokens[str(client)][role] = engine.tokens.create(username, "bench")[0]
    for _ in range(instances):
        engine.start(PROCESS, {}, "sekretariat")
    database.dispose()
    return tokens


def request(base: str, token: str, method: str, path: str, body: dict | None = None):
    data = orjson.dumps(body) if body is not None else None
    req = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, orjson.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def client(base: str, tokens: dict[str, str], timeout: float, seed: int, sync, out) -> None:
    """Work the shared pool until ``done``: (latencies, conflicts, errors, CPU, lists asked).

    The imports come before ``start`` (a barrier all clients and the timer wait on), so neither
    the timed window nor the CPU reported holds the clients' own start-up: on two cores, eight
    processes importing at once took about a second of CPU each from the server under test.
    ``done`` is set when the store holds every instance completed."""
    start, done = sync
    from engine.clock import office_date, system_now
    from tests.factories import ROLE_OF_STEP, gen_form

    today = office_date(system_now())
    rng = random.Random(seed)
    start.wait()
    cpu_at_start = time.process_time()
    deadline = time.monotonic() + timeout
    latencies, conflicts, errors, lists = [], 0, [], 0
    while time.monotonic() < deadline and not done.is_set():
        worked = False
        for role in rng.sample(ROLES, len(ROLES)):
            lists += 1
            status, body = request(base, tokens[role], "GET", "/api/v1/tasks")
            if status != 200:
                errors.append(f"tasks {status}")
                continue
            open_tasks = [t for t in body["tasks"] if ROLE_OF_STEP.get(t["element_id"]) == role]
            if not open_tasks:
                continue
            task = rng.choice(open_tasks[:8])
            status, _ = request(base, tokens[role], "POST", f"/api/v1/tasks/{task['id']}/claim")
            if status == 409:
                conflicts += 1
                continue
            form = gen_form(task["element_id"], today)
            started = time.perf_counter()
            status, answer = request(
                base, tokens[role], "POST", f"/api/v1/tasks/{task['id']}/complete", form
            )
            if status == 200:
                latencies.append(time.perf_counter() - started)
                worked = True
            elif status == 409:
                conflicts += 1
            else:
                errors.append(f"complete {task['element_id']} {status}: {answer[:200]!r}")
        if not worked:
            done.wait(0.2)
    out.put((latencies, conflicts, errors, time.process_time() - cpu_at_start, lists))


def serve(env: dict, workers: int, port: int) -> list[subprocess.Popen]:
    log = open(Path(env["LAKSANA_INSTANCE_DIR"]) / f"serve-{workers}.log", "w")  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [LAKSANA, "serve", "--workers", str(workers), "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    ]
    for _ in range(2):
        processes.append(
            subprocess.Popen(
                [LAKSANA, "worker"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk", timeout=2)
            return processes
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer within 60 s")


def checks(url: str) -> dict[str, int]:
    from engine.models import AuditEntry, Document, ProcessInstance

    store = create_engine(url)
    with store.connect() as conn:
        statuses = dict(
            conn.execute(
                select(ProcessInstance.status, func.count()).group_by(ProcessInstance.status)
            ).all()
        )
        twice_completed = conn.scalar(
            select(func.count()).select_from(
                select(AuditEntry.task_id)
                .where(AuditEntry.action == "completed")
                .group_by(AuditEntry.task_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        double_claims = conn.scalar(
            select(func.count()).select_from(
                select(AuditEntry.task_id)
                .where(AuditEntry.action == "claimed")
                .group_by(AuditEntry.task_id)
                .having(func.count(func.distinct(AuditEntry.actor)) > 1)
                .subquery()
            )
        )
        duplicate_numbers = conn.scalar(
            select(func.count()).select_from(
                select(Document.kind, Document.number)
                .where(Document.number.is_not(None))
                .group_by(Document.kind, Document.number)
                .having(func.count(func.distinct(Document.instance_id)) > 1)
                .subquery()
            )
        )
    store.dispose()
    return {
        "completed": statuses.get("completed", 0),
        "stuck": sum(n for s, n in statuses.items() if s != "completed"),
        "lost_or_twice_completed": twice_completed or 0,
        "double_claims": double_claims or 0,
        "duplicate_numbers": duplicate_numbers or 0,
    }


def wait_for_all_completed(url: str, instances: int, timeout: float, clients: list) -> None:
    """Until the store holds ``instances`` completed instances (or the clients have all ended,
    or ``timeout``): the timed window ends with the last completion, not with the clients'
    polling of an empty pool after it."""
    from engine.models import ProcessInstance

    store = create_engine(url)
    query = select(func.count()).where(ProcessInstance.status == "completed")
    deadline = time.monotonic() + timeout
    with store.connect() as conn:
        while time.monotonic() < deadline and any(c.is_alive() for c in clients):
            if conn.execute(query).scalar_one() >= instances:
                break
            conn.rollback()
            time.sleep(0.05)
    store.dispose()


def run(args, workers: int, base_env: dict) -> float:
    """One load run with ``workers`` web workers; its completions per second."""
    env = dict(base_env, LAKSANA_DATABASE_URL=fresh_database(args.admin_url))
    tokens = prepare(env, args.clients, args.instances)
    port = free_port()
    processes = serve(env, workers, port)
    base = f"http://127.0.0.1:{port}"
    try:
        spawn = multiprocessing.get_context("spawn")
        out, start, done = spawn.Queue(), spawn.Barrier(args.clients + 1), spawn.Event()
        clients = [
            spawn.Process(
                target=client, args=(base, tokens[str(c)], args.timeout, c, (start, done), out)
            )
            for c in range(args.clients)
        ]
        for process in clients:
            process.start()
        start.wait(timeout=120)
        started = time.perf_counter()
        cpu_before = cpu_use.snapshot()
        wait_for_all_completed(env["LAKSANA_DATABASE_URL"], args.instances, args.timeout, clients)
        elapsed = time.perf_counter() - started
        cpu_after = cpu_use.snapshot()
        done.set()
        results = [out.get(timeout=120) for _ in clients]
        for process in clients:
            process.join(10)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
    latencies = sorted(x for r in results for x in r[0])
    errors = [e for r in results for e in r[2]]
    found = checks(env["LAKSANA_DATABASE_URL"])
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    print(
        f"{workers} web worker(s): {len(latencies)} completions in {elapsed:.1f} s = "
        f"{len(latencies) / elapsed:.1f}/s, p95 {p95:.0f} ms (median "
        f"{statistics.median(latencies) * 1000 if latencies else 0:.0f} ms), "
        f"{found['completed'] / elapsed:.2f} instances/s; 409s {sum(r[1] for r in results)}; "
        f"errors {len(errors)}; checks {found}"
    )
    web = cpu_use.spent(cpu_before, cpu_after, cpu_use.tree(cpu_after, [processes[0].pid]))
    jobs = cpu_use.spent(
        cpu_before, cpu_after, cpu_use.tree(cpu_after, [p.pid for p in processes[1:]])
    )
    database = cpu_use.spent(cpu_before, cpu_after, cpu_use.named(cpu_after, "postgres"))
    clients_cpu = sum(r[3] for r in results)
    lists = sum(r[4] for r in results)
    per = 1000 / max(len(latencies), 1)
    print(
        f"    CPU per completion: web {web * per:.0f} ms, job workers {jobs * per:.0f} ms, "
        f"PostgreSQL {database * per:.0f} ms, clients {clients_cpu * per:.0f} ms; "
        f"all four {(web + jobs + database + clients_cpu) / elapsed:.2f} cores busy on average; "
        f"{lists / max(len(latencies), 1):.1f} inbox lists asked per completion"
    )
    for line in errors[:5]:
        print("   ", line)
    bad = {k: v for k, v in found.items() if k != "completed" and v}
    if bad or errors or found["completed"] != args.instances:
        raise SystemExit(f"load run with {workers} worker(s) left work undone or broken: {found}")
    return len(latencies) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--instances", type=int, default=60)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "LAKSANA_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds; medians and ratios printed at the end"
    )
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.workers, args.clients, args.instances, args.timeout = "1", 2, 3, 180
    instance_dir = Path(tempfile.mkdtemp(prefix="laksana-load-"))
    base_env = dict(
        os.environ,
        LAKSANA_INSTANCE_DIR=str(instance_dir),
        LAKSANA_WAREHOUSE_URL=f"duckdb:///{instance_dir / 'warehouse.duckdb'}",
        LAKSANA_RATELIMIT_STORAGE="redis://127.0.0.1:6379/15",
        LAKSANA_API_RATE_LIMIT="100000 per minute",
        LAKSANA_SECURE_COOKIES="0",
    )
    laksana(base_env, "warehouse", "build", "--scale", "0.02")
    laksana(base_env, "report", "pki")
    counts = [int(n) for n in args.workers.split(",")]
    rates: dict[int, list[float]] = {n: [] for n in counts}
    for _ in range(args.repeat):  # rounds interleave the worker counts: drift hits them alike
        for workers in counts:
            rates[workers].append(run(args, workers, base_env))
    if args.repeat > 1:
        medians = {n: statistics.median(found) for n, found in rates.items()}
        for n in counts:
            listed = ", ".join(f"{r:.1f}" for r in rates[n])
            print(
                f"{n} web worker(s): median {medians[n]:.1f} completions/s ({listed}), "
                f"{medians[n] / medians[counts[0]]:.2f}x {counts[0]} worker(s)"
            )


if __name__ == "__main__":
    main()
