"""SLA escalation on a controlled clock; incidents for failing or missing handlers, and retry."""

import pytest
from sqlalchemy import select

from engine.errors import Conflict
from engine.facade import BpmnEngine
from engine.models import Notification
from engine.services import ServiceError
from tests.conftest import PROCESSES
from tests.factories import fake_registry


def notifications(engine, kind="escalation"):
    with engine.db.transaction() as session:
        return session.scalars(select(Notification).where(Notification.kind == kind)).all()


def test_due_date_is_ready_time_plus_standard_minutes(engine, actions, clock):
    instance = actions.start()
    actions.complete(instance.id, "registrasi_surat")
    task = actions.open_task(instance.id, "disposisi_kadin")
    assert (task.due - task.ready_at).total_seconds() == 5 * 60
    assert engine.instance(instance.id).next_timer == task.due


def test_overdue_step_escalates_to_the_next_role_up(engine, actions, clock):
    instance = actions.start()
    actions.run_until(instance.id, stop_before="beri_akses")  # Kasi: 10 standard minutes

    clock.advance(minutes=9)
    assert engine.tick() == []
    assert notifications(engine) == []

    clock.advance(minutes=2)
    assert engine.tick() == [instance.id]
    [note] = notifications(engine)
    assert note.recipient_role == "kabid_piak"
    assert "Memberikan hak akses" in note.subject
    assert "Bappeda" in note.body
    actions_seen = [h.action for h in engine.history(instance.id)][-3:]
    assert actions_seen == ["timer_fired", "escalated", "service_ok"]
    assert engine.instance(instance.id).current_tasks == ["beri_akses"]  # the step stays open
    assert engine.tick() == []  # fires once


def test_tick_with_an_explicit_time(engine, actions, clock):
    instance = actions.start()
    actions.run_until(instance.id, stop_before="ekstraksi_data")
    due = actions.open_task(instance.id, "ekstraksi_data").due
    from datetime import timedelta

    assert engine.tick(due - timedelta(seconds=1)) == []
    assert engine.tick(due + timedelta(seconds=1)) == [instance.id]
    assert notifications(engine)[0].recipient_role == "kasi"


def test_completed_step_does_not_escalate(engine, actions, clock):
    instance = actions.start()
    actions.run_until(instance.id, stop_before="disposisi_kabid")
    clock.advance(minutes=30)
    engine.tick()
    # only the open step (disposisi_kabid, 5 min) escalated, not the completed disposisi_kadin
    assert [n.recipient_role for n in notifications(engine)] == ["kepala_dinas"]
    assert "mendisposisikan kepada Kasi" in notifications(engine)[0].subject


def test_missing_handler_becomes_an_incident_and_retry_continues(database, settings, clock):
    """A diagram deployed while its topic was registered, run by an app whose plug-in is gone."""
    from tests.conftest import seeded

    BpmnEngine(seeded(database), fake_registry(), settings, clock=clock).deploy_path(PROCESSES)
    registry = fake_registry(skip=("warehouse.aggregate",))
    engine = BpmnEngine(database, registry, settings, clock=clock)
    from tests.conftest import Actions

    actions = Actions(engine, clock)
    instance = actions.run_until(actions.start().id, stop_before="ekstraksi_data")
    stuck = actions.complete(instance.id, "ekstraksi_data")

    assert stuck.status == "incident"
    [incident] = engine.incidents()
    assert incident.element_id == "jalankan_kueri"
    assert "no handler is registered for topic 'warehouse.aggregate'" in incident.message
    assert engine.retry(incident.id, "admin").resolved_at is None  # still no handler
    assert engine.incidents()[0].attempts == 2

    registry.register("warehouse.aggregate", fake_registry().get("warehouse.aggregate"))
    resolved = engine.retry(incident.id, "admin")
    assert resolved.resolved_at is not None
    assert engine.instance(instance.id).current_tasks == ["pemeriksaan_kasi"]
    assert engine.instance(instance.id).status == "running"
    with pytest.raises(Conflict, match="sudah diselesaikan"):
        engine.retry(incident.id, "admin")
    assert actions.run_until(instance.id).status == "completed"


def test_failing_handler_leaves_nothing_half_written(database, settings, clock):
    from tests.conftest import Actions, seeded

    registry = fake_registry()
    good_render = registry.get("reports.render")

    def render_then_fail(call):
        good_render(call)  # writes documents ...
        raise ServiceError("font tidak ditemukan")  # ... then fails

    registry.register("reports.render", render_then_fail)
    engine = BpmnEngine(seeded(database), registry, settings, clock=clock)
    engine.deploy_path(PROCESSES)
    actions = Actions(engine, clock)
    instance = actions.run_until(actions.start().id, stop_before="beri_akses")
    stuck = actions.complete(instance.id, "beri_akses")

    assert stuck.status == "incident"
    assert engine.incidents()[0].message == "font tidak ditemukan"
    from engine.models import Document

    with engine.db.transaction() as session:
        assert session.scalars(select(Document)).all() == []
    history = [h.action for h in engine.history(instance.id)]
    assert history[-1] == "incident"
    assert "completed" in history  # the Kasi's work is kept
