"""``laksana worker``: a procrastinate worker for the engine store (PostgreSQL)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Sequence

import click
from flask.cli import with_appcontext

from engine.plugins import WorkerStart
from webkit.current import get_engine, get_registration

from .queue import queue_present

log = logging.getLogger(__name__)


class OneLineFormatter(logging.Formatter):
    """Log lines without tracebacks (a failing job's error is one line; LAKSANA_DEBUG=1 keeps them)."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not os.environ.get("LAKSANA_DEBUG"):
            error = record.exc_info[1]
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
            if error is not None:
                record.msg = f"{record.getMessage()} ({error.__class__.__name__}: {error})"
                record.args = None
        return super().format(record)


def start_in_background(engine, starts: Sequence[WorkerStart]) -> list[threading.Thread]:
    """Run each plug-in's worker start in a daemon thread (the worker takes jobs meanwhile)."""
    threads = []
    for warm in starts:
        thread = threading.Thread(
            target=_run_logged, args=(warm, engine), name="laksana-worker-start", daemon=True
        )
        thread.start()
        threads.append(thread)
    return threads


def _run_logged(warm: WorkerStart, engine) -> None:
    try:
        warm(engine)
    except Exception:  # noqa: BLE001 - a warm-up that fails must not stop the worker
        log.warning("worker start %s failed", getattr(warm, "__qualname__", warm), exc_info=True)


@click.command("worker", help="Run a background worker: timers every minute and queued jobs.")
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs run at once by this worker (each in its own thread).",
)
@with_appcontext
def worker(concurrency: int) -> None:
    engine = get_engine()
    if engine.db.engine.dialect.name != "postgresql":
        raise click.ClickException(
            "pekerja latar membutuhkan PostgreSQL (LAKSANA_DATABASE_URL=postgresql+psycopg://...); "
            "dengan SQLite, `laksana serve` menjalankan pewaktu di dalam prosesnya sendiri"
        )
    with engine.db.engine.connect() as connection:
        if not queue_present(connection):
            raise click.ClickException(
                "skema antrean pekerjaan belum ada: jalankan `laksana init-db`"
            )
    from .worker import build_app  # procrastinate only where a worker runs

    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    declared = get_registration()
    app = build_app(engine, declared)
    start_in_background(engine, declared.worker_starts)
    name = f"{socket.gethostname()}-{os.getpid()}"
    click.echo(f"pekerja latar {name} berjalan (konkurensi {concurrency}); Ctrl+C untuk berhenti")
    app.run_worker(concurrency=concurrency, name=name)
    click.echo("pekerja latar berhenti")
