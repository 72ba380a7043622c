"""Embedded mode (SQLite): the in-process ticker of ``laksana serve``; the worker's refusals;
the job declarations and the retry schedule (no database server needed)."""

from __future__ import annotations

import threading

import pytest
from procrastinate import RetryStrategy
from sqlalchemy import select

from engine.config import Settings
from engine.models import Notification
from engine.plugins import Registration, RegistrationError
from jobs.embedded import Ticker, start_ticker
from jobs.worker import retry_strategy
from web.composition import registration

from .conftest import wait_for


@pytest.fixture
def run(app):
    """Invoke `laksana ...` against the test app (its engine, store and clock)."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from web.cli import cli

    info = ScriptInfo(create_app=lambda *_args: app)
    return lambda *args: CliRunner().invoke(cli, list(args), obj=info)


def escalations(engine) -> list[Notification]:
    with engine.db.transaction() as session:
        return list(session.scalars(select(Notification).where(Notification.kind == "escalation")))


def make_due(actions, clock) -> int:
    instance = actions.start()
    actions.run_until(instance.id, stop_before="beri_akses")  # Kasi: 10 standard minutes
    clock.advance(minutes=11)
    return instance.id


def test_the_ticker_fires_a_due_timer(engine, actions, clock):
    instance_id = make_due(actions, clock)
    ticker = Ticker(engine, 0.05)
    ticker.start()
    try:
        [note] = wait_for(lambda: escalations(engine), "the ticker's escalation", seconds=10)
    finally:
        ticker.stop(timeout=5)
    assert not ticker.is_alive()
    assert note.recipient_role == "kabid_piak"
    assert "timer_fired" in [h.action for h in engine.history(instance_id)]


def test_serve_ticks_in_process_and_stops_the_ticker(
    run, engine, actions, clock, settings, monkeypatch
):
    import werkzeug.serving

    make_due(actions, clock)
    settings.tick_seconds = 0.05
    seen = {}

    def fake_run_simple(*_args, **_kwargs):  # the server "runs" until the timer fired
        seen["notes"] = wait_for(lambda: escalations(engine), "serve's ticker", seconds=10)

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    before = set(threading.enumerate())  # another test's server may still be ticking
    result = run("serve")
    assert result.exit_code == 0, result.output
    assert "tick setiap 0.05 detik (mode tertanam)" in result.output
    assert [n.recipient_role for n in seen["notes"]] == ["kabid_piak"]
    assert not [t for t in set(threading.enumerate()) - before if t.name == "laksana-tick"]


def test_no_ticker_when_disabled(engine):
    assert start_ticker(engine, Settings(tick_seconds=0)) is None


def test_the_worker_needs_postgresql(run):
    result = run("worker")
    assert result.exit_code == 1
    assert "pekerja latar membutuhkan PostgreSQL" in result.output
    assert "Traceback" not in result.output


def test_retries_back_off_exponentially():
    from datetime import datetime, timezone

    strategy = retry_strategy(Settings())
    assert isinstance(strategy, RetryStrategy)
    waits = []
    for attempts in range(7):
        job = type("Job", (), {"attempts": attempts})()
        before = datetime.now(timezone.utc)
        decision = strategy.get_retry_decision(exception=OSError("x"), job=job)
        waits.append(
            None if decision is None else round((decision.retry_at - before).total_seconds())
        )
    # five retries after the first try, 5 s, 25 s, ... apart; then the job fails
    assert waits == [5, 25, 125, 625, 3125, None, None]


def test_jobs_are_declared_once():
    declared = registration()
    assert "complaints.email" in declared.jobs
    assert declared.owners["job complaints.email"] == "complaints.plugin"
    again = Registration()
    again.job("x.y", lambda call: None)
    with pytest.raises(RegistrationError, match="job x.y is declared twice"):
        again.job("x.y", lambda call: None)
    with pytest.raises(RegistrationError, match="not callable"):
        again.job("x.z", "nope")  # type: ignore[arg-type]
