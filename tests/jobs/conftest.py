"""Job engine fixtures: a PostgreSQL schema with procrastinate's tables, and real workers.

A worker is the real ``laksana worker`` in a subprocess, on the test's own schema (the URL's
``search_path`` option), stopped with SIGINT as an operator's Ctrl+C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from engine.db import Database
from engine.facade import BpmnEngine
from jobs.schema import ensure_schema
from tests.conftest import PROCESSES, ROOT, drop_schema, postgres_database, seeded
from tests.factories import fake_registry

#: how long a test waits for a worker to do something
WAIT_SECONDS = 60


@pytest.fixture
def pg_store() -> Iterator[Database]:
    """A fresh schema with the engine's tables and procrastinate's (skips without PostgreSQL)."""
    database, schema = postgres_database()
    assert ensure_schema(database) is True
    yield database
    database.dispose()
    drop_schema(schema)


@pytest.fixture
def pg_engine(pg_store, settings, clock) -> BpmnEngine:
    """The engine on the test clock (March 2026: its timers are due in the real time a worker's
    engine lives in), with the processes deployed and the demo users."""
    seeded(pg_store)
    engine = BpmnEngine(pg_store, fake_registry(), settings, clock=clock)
    engine.deploy_path(PROCESSES)
    return engine


def queued_jobs(database: Database, task_name: str) -> list[dict]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT id, status::text AS status, attempts, args FROM procrastinate_jobs "
                "WHERE task_name = :name ORDER BY id"
            ),
            {"name": task_name},
        )
        return [dict(row._mapping) for row in rows]


def wait_for(condition: Callable[[], object], what: str, seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"waited {seconds} s for {what}")


class Workers:
    """``laksana worker`` subprocesses on one store; all are stopped when the test ends."""

    def __init__(self, database: Database, tmp_path, env: dict[str, str]) -> None:
        self.database = database
        self.tmp_path = tmp_path
        self.env = env
        self.running: list[subprocess.Popen] = []
        self.log_paths: list = []

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        environment = {
            **os.environ,
            "LAKSANA_DATABASE_URL": self.database.url,
            "LAKSANA_INSTANCE_DIR": str(self.tmp_path / "instance"),
            "LAKSANA_WAREHOUSE_URL": f"duckdb:///{self.tmp_path / 'warehouse.duckdb'}",
            "PYTHONWARNINGS": "ignore",
            "LAKSANA_OFFICE_PREWARM": "0",  # no LibreOffice per test worker on shared cores
            **self.env,
            **env,
        }
        path = self.tmp_path / f"worker{len(self.running)}.log"
        self.log_paths.append(path)
        log = open(path, "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-c", "from web.cli import main; main()", "worker", *args],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.running.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp_path.glob("worker*.log")))

    def wait_started(self) -> None:
        """Until every worker listens (a Ctrl+C before that is an abort, exit status 1)."""
        for path, process in zip(self.log_paths, self.running, strict=True):
            wait_for(
                lambda p=process, log=path: (
                    p.poll() is not None or "Starting worker" in log.read_text()
                ),
                f"{path.name} to start",
            )

    def stop(self) -> list[int]:
        self.wait_started()
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        codes = []
        for process in self.running:
            try:
                codes.append(process.wait(timeout=20))
            except subprocess.TimeoutExpired:
                process.kill()
                codes.append(process.wait())
        return codes


@pytest.fixture
def workers(pg_store, tmp_path, monkeypatch) -> Iterator[Workers]:
    for name in ("LAKSANA_SMTP_HOST", "LAKSANA_SMTP_USER", "LAKSANA_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    pool = Workers(pg_store, tmp_path, {})
    yield pool
    pool.stop()
