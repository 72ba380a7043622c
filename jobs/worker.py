"""The procrastinate app a worker runs: the periodic tick and every declared job.

The app is built for one engine (``build_app``), so tasks are closures over it: the tick calls
``engine.tick()``, a declared job gets a ``JobCall`` on the engine's database and settings.

The tick is a periodic task (cron every minute). Every worker runs procrastinate's periodic
deferrer, and the database keeps one defer per (task, minute) (``procrastinate_periodic_defers``),
so N workers on several machines defer it once a minute. Its ``queueing_lock`` keeps at most one
tick waiting, and its ``lock`` keeps two ticks from running at once (one that overlaps the next
minute makes the next one wait). The engine's tick is itself safe under races (it locks each
instance and skips what another process moved), so this is about not wasting work.
"""

from __future__ import annotations

import logging
from typing import Any

import procrastinate
from procrastinate import JobContext, RetryStrategy

from engine.async_steps import continue_task
from engine.config import Settings
from engine.facade import BpmnEngine
from engine.plugins import JobSpec, Registration

from .call import JobCall
from .continuation import CONTINUE_TASK

log = logging.getLogger(__name__)

TICK_TASK = "laksana.tick"
#: every minute; the periodic deferrer defers the latest past minute at once when a worker starts
TICK_CRON = "* * * * *"


def conninfo(url: str) -> str:
    """libpq's form of a SQLAlchemy PostgreSQL URL (keeps ``options``, e.g. a search_path)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def retry_strategy(settings: Settings) -> RetryStrategy:
    """``job_retries`` retries, retry n (0-based) after ``job_backoff_seconds ** (n + 1)`` s."""
    return RetryStrategy(
        max_attempts=settings.job_retries, exponential_wait=settings.job_backoff_seconds
    )


def build_app(engine: BpmnEngine, declared: Registration) -> procrastinate.App:
    settings = engine.settings
    url = engine.db.engine.url.render_as_string(hide_password=False)
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)),
        worker_defaults={"install_signal_handlers": True},
    )

    @app.periodic(cron=TICK_CRON, periodic_id="every_minute")
    @app.task(name=TICK_TASK, queueing_lock=TICK_TASK, lock=TICK_TASK)
    def tick(timestamp: int) -> None:
        moved = engine.tick()
        if moved:
            log.info("timers fired in instances %s", ", ".join(map(str, moved)))

    @app.task(name=CONTINUE_TASK, retry=retry_strategy(settings))
    def continue_async(instance_id: int, task_id: str) -> None:
        """A ``camunda:asyncBefore`` task and what follows it (a failure there is an incident;
        what raises here is contention or the database, retried with back-off)."""
        continue_task(engine, instance_id, task_id)

    for spec in declared.jobs.values():
        _add_job(app, engine, settings, spec)
    return app


def _add_job(app: procrastinate.App, engine: BpmnEngine, settings: Settings, spec: JobSpec) -> None:
    strategy = retry_strategy(settings) if spec.retry else None

    def run(context: JobContext, **args: Any) -> None:
        attempt = context.job.attempts
        call = JobCall(
            database=engine.db,
            settings=settings,
            now=engine.clock(),
            job_id=context.job.id,
            attempt=attempt,
            last_attempt=strategy is None or attempt >= settings.job_retries,
        )
        spec.handler(call, **args)

    run.__name__ = spec.name.replace(".", "_")
    app.task(name=spec.name, pass_context=True, retry=strategy or False)(run)
