"""The operators' console on the facade: a stuck instance is fixed without a shell.

Each test runs on SQLite and on PostgreSQL (the engine suite's ``database`` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import Conflict, EngineError, Forbidden
from engine.facade import BpmnEngine
from engine.models import AuditEntry, HumanTask
from tests.conftest import PROCESSES, Actions, seeded
from tests.factories import fake_registry


def audit_rows(engine, instance_id, action):
    with engine.db.Session() as session:
        return session.scalars(
            select(AuditEntry).where(
                AuditEntry.instance_id == instance_id, AuditEntry.action == action
            )
        ).all()


def open_rows(engine, instance_id):
    with engine.db.Session() as session:
        return session.scalars(
            select(HumanTask.element_id).where(HumanTask.instance_id == instance_id)
        ).all()


@pytest.fixture
def stuck(database, settings, clock):
    """An instance stopped at an incident: the query step's handler refuses a bad period."""
    seeded(database)
    registry = fake_registry()
    good = registry.get("warehouse.aggregate")

    def aggregate(call):
        if call.data.get("permintaan_periode") == "2099-9":
            from engine.services import ServiceError

            raise ServiceError("periode 2099-9 tidak ada di gudang data")
        return good(call)

    registry.register("warehouse.aggregate", aggregate)
    engine = BpmnEngine(database, registry, settings, clock=clock)
    engine.deploy_path(PROCESSES)
    actions = Actions(engine, clock)
    instance = actions.run_until(actions.start().id, stop_before="ekstraksi_data")
    assert (
        actions.complete(instance.id, "ekstraksi_data", permintaan_periode="2099-9").status
        == "incident"
    )
    [incident] = engine.incidents(instance_id=instance.id)
    return engine, actions, instance, incident


def test_an_administrator_fixes_the_data_and_the_retry_goes_through(stuck):
    engine, actions, instance, incident = stuck
    assert engine.incident_data(incident.id)["permintaan_periode"] == "2099-9"

    with pytest.raises(EngineError, match="alasan wajib diisi"):
        engine.retry(incident.id, "admin", data={"permintaan_periode": "2026-1"}, reason="")
    with pytest.raises(Forbidden, match="hanya administrator"):
        engine.retry(incident.id, "analis", data={"permintaan_periode": "2026-1"}, reason="salah")
    resolved = engine.retry(
        incident.id, "admin", data={"permintaan_periode": "2026-1"}, reason="periode salah ketik"
    )

    assert resolved.resolved_at is not None
    view = engine.instance(instance.id)
    assert view.status == "running" and view.current_tasks == ["pemeriksaan_kasi"]
    [edit] = audit_rows(engine, instance.id, "data_edited")
    assert edit.actor == "admin"
    assert edit.data == {
        "reason": "periode salah ketik",
        "before": {"permintaan_periode": "2099-9"},
        "after": {"permintaan_periode": "2026-1"},
    }
    assert actions.run_until(instance.id).status == "completed"


def test_a_failed_service_step_is_skipped_with_a_reason_and_the_data_it_owed(stuck):
    engine, actions, instance, incident = stuck
    engine.skip(incident.id, "admin", "data diambil manual", data={"dataset_id": None})

    view = engine.instance(instance.id)
    assert view.status == "running" and view.current_tasks == ["pemeriksaan_kasi"]
    assert engine.incidents(instance_id=instance.id) == []
    [skipped] = audit_rows(engine, instance.id, "skipped")
    assert skipped.data["reason"] == "data diambil manual"
    assert audit_rows(engine, instance.id, "service_ok") == [] or all(
        row.element_id != "jalankan_kueri" for row in audit_rows(engine, instance.id, "service_ok")
    )
    with pytest.raises(Conflict, match="sudah diselesaikan"):
        engine.skip(incident.id, "admin", "dua kali")


def test_a_suspended_instance_offers_no_task_and_fires_no_timer_until_resumed(
    engine, actions, clock
):
    instance = actions.run_until(actions.start().id, stop_before="disposisi_kabid")
    with pytest.raises(Forbidden):
        engine.suspend(instance.id, "kasi", "bukan wewenang")
    engine.suspend(instance.id, "analis", "menunggu klarifikasi instansi")

    assert engine.instance(instance.id).status == "suspended"
    assert open_rows(engine, instance.id) == []
    assert engine.tasks(user="kabid_piak", instance_id=instance.id) == []
    clock.advance(minutes=60)
    assert instance.id not in engine.tick()  # the escalation waits too
    with pytest.raises(Conflict, match="sudah ditangguhkan"):
        engine.suspend(instance.id, "admin", "sekali lagi")

    engine.resume(instance.id, "analis")
    assert engine.instance(instance.id).status == "running"
    assert open_rows(engine, instance.id) == ["disposisi_kabid"]
    engine.instances.cache.clear()
    assert actions.run_until(instance.id).status == "completed"


def test_terminate_needs_a_reason_and_ends_the_instance_for_good(engine, actions):
    instance = actions.run_until(actions.start().id, stop_before="beri_akses")
    with pytest.raises(EngineError, match="alasan wajib diisi"):
        engine.terminate(instance.id, "admin", " ")
    engine.terminate(instance.id, "admin", "pemohon menarik permohonannya")

    view = engine.instance(instance.id)
    assert view.status == "cancelled"
    assert open_rows(engine, instance.id) == []
    [row] = audit_rows(engine, instance.id, "cancelled")
    assert row.data == {"reason": "pemohon menarik permohonannya"}
    with pytest.raises(Conflict, match="sudah dihentikan"):
        engine.terminate(instance.id, "admin", "sekali lagi")


def test_an_instance_moves_back_to_a_step_it_passed_and_not_to_one_it_never_reached(
    engine, actions
):
    instance = actions.run_until(actions.start().id, stop_before="ekstraksi_data")
    with pytest.raises(EngineError, match="belum pernah dilalui"):
        engine.move(instance.id, "admin", "laporan_kabid", "lompat ke depan")
    with pytest.raises(Forbidden):
        engine.move(instance.id, "analis", "beri_akses", "bukan admin")

    moved = engine.move(instance.id, "admin", "beri_akses", "operator yang ditunjuk salah")

    assert moved.current_tasks == ["beri_akses"]
    assert open_rows(engine, instance.id) == ["beri_akses"]
    [row] = audit_rows(engine, instance.id, "moved")
    assert row.element_id == "beri_akses" and row.data["from"] == ["ekstraksi_data"]
    engine.instances.cache.clear()  # the moved state must survive a save/restore round trip
    assert actions.run_until(instance.id).status == "completed"
