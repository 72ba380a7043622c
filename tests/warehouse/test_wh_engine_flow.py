"""The handlers inside the real engine: the data SOP reaches the Kasi's check with a dataset.

Uses the shared engine fixtures (tests/conftest.py) with the warehouse topics
registered the way web/wiring.py does.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.facade import BpmnEngine
from tests.conftest import PROCESSES, Actions, seeded
from tests.factories import fake_registry
from warehouse import topics as service
from warehouse.cellkey import MAX_PERTURBATION
from warehouse.models import AccessGrant, Dataset, QueryLog


@pytest.fixture
def flow(database, settings, clock, duck, duck_url) -> Actions:
    seeded(database)
    settings.warehouse_url = duck_url
    registry = fake_registry()
    registry.register("warehouse.grant", service.grant)
    registry.register("warehouse.aggregate", service.aggregate)
    engine = BpmnEngine(database, registry, settings, clock=clock)
    engine.deploy_path(PROCESSES)
    return Actions(engine, clock)


def test_the_granted_operator_gets_a_dataset(flow, database, population):
    instance = flow.run_until(flow.start().id, stop_before="pemeriksaan_kasi")
    data = flow.engine.instance_data(instance.id)
    summary = data["dataset_ringkasan"]
    assert (summary["rows"], summary["suppressed"]) == (20, 0)
    assert abs(summary["grand_total"] - population.person_count) <= MAX_PERTURBATION
    with database.transaction() as session:
        grant = session.get(AccessGrant, data["akses_id"])
        dataset = session.get(Dataset, data["dataset_id"])
        [entry] = session.scalars(select(QueryLog)).all()
        assert (grant.operator, grant.granted_by) == ("operator", "kasi")
        assert (
            dataset.created_by == "operator" and dataset.spec["preset"] == "penduduk_kecamatan_jk"
        )
        assert (entry.username, entry.instance_id, entry.outcome) == ("operator", instance.id, "ok")


def test_an_expired_grant_stops_at_an_incident_and_the_refusal_is_logged(flow, database):
    instance = flow.run_until(flow.start().id, stop_before="ekstraksi_data")
    flow.clock.advance(days=10)  # the grant ran for 7 days
    flow.complete(instance.id, "ekstraksi_data")
    [incident] = flow.engine.incidents(instance_id=instance.id)
    assert (
        incident.element_id == "jalankan_kueri" and "Akses gudang data ditolak" in incident.message
    )
    with database.transaction() as session:
        assert [e.outcome for e in session.scalars(select(QueryLog))] == ["refused"]
