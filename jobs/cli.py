"""``laksana worker``: a procrastinate worker for the engine store (PostgreSQL)."""

from __future__ import annotations

import logging
import os
import socket

import click
from flask.cli import with_appcontext

from webkit.current import get_engine, get_registration

from .queue import queue_present


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
    app = build_app(engine, get_registration())
    name = f"{socket.gethostname()}-{os.getpid()}"
    click.echo(f"pekerja latar {name} berjalan (konkurensi {concurrency}); Ctrl+C untuk berhenti")
    app.run_worker(concurrency=concurrency, name=name)
    click.echo("pekerja latar berhenti")
