"""The "Layanan" page and POST /api/v1/processes/<id>/instances: starting any deployed process
its camunda:candidateStarterGroups allow, from its start event's form."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import Forbidden
from tests.web.test_api import basic

DIAGRAM = Path(__file__).with_name("layanan_uji.bpmn")
PROCESS = "uji_layanan"


@pytest.fixture
def deployed(engine):
    engine.deploy(DIAGRAM.read_bytes(), DIAGRAM.name)
    return engine


def test_the_page_lists_a_process_only_for_its_starter_groups(deployed, as_user):
    page = as_user("kasi").get("/layanan").get_data(as_text=True)
    assert "Uji layanan mandiri" in page and "999/Uji/001" in page
    assert "Bidang Pemanfaatan Data dan Inovasi Pelayanan" in page  # the starter role's bidang
    assert "Pemanfaatan Data Agregat Kependudukan" not in page  # the Sekretariat's
    assert "Uji layanan mandiri" not in as_user("jfu").get("/layanan").get_data(as_text=True)
    assert as_user("jfu").get(f"/layanan/{PROCESS}").status_code == 403
    assert as_user("kasi").get("/layanan/tidak_ada").status_code == 404
    admin = as_user("admin").get("/layanan").get_data(as_text=True)
    assert "Uji layanan mandiri" in admin and "Pengaduan Layanan" in admin


def test_the_form_shows_field_errors_then_starts_the_instance(deployed, as_user):
    client = as_user("kasi")
    form = client.get(f"/layanan/{PROCESS}").get_data(as_text=True)
    assert 'name="perihal"' in form and 'name="jenis"' in form
    bad = client.post(f"/layanan/{PROCESS}", data={"perihal": "", "jumlah": "0"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Perihal wajib diisi" in text and "Jumlah berkas" in text
    assert deployed.list_instances(process_id=PROCESS) == []
    done = client.post(
        f"/layanan/{PROCESS}", data={"perihal": "Data KK", "jumlah": "2", "jenis": "segera"}
    )
    [instance] = deployed.list_instances(process_id=PROCESS)
    [task] = deployed.tasks(instance_id=instance.id)
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/tugas/{task.id}")
    data = deployed.instance_data(instance.id)
    assert data["perihal"] == "Data KK" and data["jumlah"] == 2 and data["jenis"] == "segera"
    assert instance.business_key and data["kode_pelacakan"] == instance.business_key
    flashed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert instance.business_key in flashed and f"#{instance.id}" in flashed


def test_a_starter_who_cannot_do_the_first_step_lands_on_the_instance(deployed, as_user):
    done = as_user("operator").post(f"/layanan/{PROCESS}", data={"perihal": "Data"})
    [instance] = deployed.list_instances(process_id=PROCESS)
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/riwayat/{instance.id}")
    assert as_user("operator").get(done.headers["Location"]).status_code == 200


def test_the_api_starts_refuses_and_validates(deployed, client):
    url = f"/api/v1/processes/{PROCESS}/instances"
    created = client.post(url, json={"perihal": "Lewat API", "jumlah": 1}, headers=basic("kasi"))
    body = created.get_json()
    assert created.status_code == 201 and body["tracking_code"]
    assert deployed.instance(body["id"]).business_key == body["tracking_code"]
    refused = client.post(url, json={"perihal": "x"}, headers=basic("jfu"))
    assert refused.status_code == 403 and refused.get_json()["error"]["message"]
    invalid = client.post(url, json={"jumlah": "banyak", "lain": 1}, headers=basic("kasi"))
    fields = {f["field"] for f in invalid.get_json()["error"]["fields"]}
    assert invalid.status_code == 422 and fields == {"perihal", "jumlah", "lain"}
    missing = client.post("/api/v1/processes/tidak_ada/instances", json={}, headers=basic("kasi"))
    assert missing.status_code == 404
    assert client.post(url, json=["x"], headers=basic("kasi")).status_code == 400
    assert len(deployed.list_instances(process_id=PROCESS)) == 1


def test_the_engine_refuses_a_start_outside_the_starter_groups(deployed):
    with pytest.raises(Forbidden, match="tidak berwenang"):
        deployed.start(PROCESS, {"perihal": "x"}, user="jfu")
    assert deployed.list_instances(process_id=PROCESS) == []
    assert deployed.start(PROCESS, {"perihal": "x"}, user="operator").status == "running"
    assert deployed.start(PROCESS, {"perihal": "x"}).status == "running"  # no user: a caller's own
    assert [s.process_id for s in deployed.startable("jfu")] == []
    [mine] = [s for s in deployed.startable("kasi") if s.process_id == PROCESS]
    assert mine.sop_number == "999/Uji/001" and mine.starter_groups == ("kasi", "operator")
    assert [f.id for f in mine.fields] == ["perihal", "jumlah", "jenis"] and mine.fields[0].required
