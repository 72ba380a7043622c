"""The data SOP's pickers as the Kasi, the operator and the JFU use them (Flask test client).

The Kasi picks the operator from the users of that role and the chosen operator gets the
extraction, also after a rework; the operator picks region, period and a custom table instead
of typing codes and JSON; bad picks are refused with a message naming the field, nothing lost.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from engine.accounts import AccountChange
from tests.conftest import Actions
from tests.factories import gen_form, gen_letter
from tests.web.conftest import open_task


@pytest.fixture
def loaded_warehouse(settings):
    """A tiny synthetic warehouse holding the period 2026-1 (what the period picker lists)."""
    from warehouse.build import build_synthetic
    from warehouse.store import forget_warehouse, warehouse_for

    build_synthetic(warehouse_for(settings.warehouse_url), scale=0.002, seed=7, period="2026-1")
    yield
    forget_warehouse(settings.warehouse_url)


def _at(actions: Actions, element_id: str, **letter):
    instance = actions.start(**gen_letter(**letter))
    actions.complete(instance.id, "registrasi_surat", **letter)
    actions.run_until(instance.id, stop_before=element_id)
    return instance, open_task(actions.engine, instance.id, element_id)


def _second_operator(engine) -> None:
    engine.accounts.create(
        "ratna.op",
        AccountChange(
            full_name="Ratna Operator",
            position="Operator",
            nip="",
            email="",
            roles=["operator"],
            active=True,
            password="x" * 12,
        ),
    )


def test_the_kasi_picks_the_operator_from_the_users_of_that_role(as_user, actions, engine):
    _second_operator(engine)
    _instance, task = _at(actions, "beri_akses")
    page = as_user("kasi").get(f"/tugas/{task.id}").get_data(as_text=True)
    select = page.split('id="f-akses_operator"')[1].split("</select>")[0]
    assert 'value="operator"' in select and 'value="ratna.op"' in select
    assert "Ratna Operator (ratna.op)" in select
    assert (
        'value="kasi"' not in select and 'value="jfu"' not in select
    )  # other roles are not offered
    # the grant's last day is filled in (a week from the office's date): nothing to type
    assert 'name="akses_berlaku_sampai" value="2026-03-19"' in page


def test_an_unknown_operator_is_refused_by_name_and_the_form_kept(as_user, actions):
    _instance, task = _at(actions, "beri_akses")
    response = as_user("kasi").post(
        f"/tugas/{task.id}",
        data=gen_form("beri_akses", akses_operator="kasi", kasi_isi_disposisi="Segera"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Operator yang diberi akses: «kasi» bukan pengguna aktif dengan peran Operator" in page
    assert ">Segera</textarea>" in page or 'value="Segera"' in page  # nothing lost
    assert open_task(actions.engine, task.instance_id).element_id == "beri_akses"


def test_the_chosen_operator_gets_the_extraction_and_again_after_a_rework(as_user, actions, engine):
    _second_operator(engine)
    instance, task = _at(actions, "beri_akses")
    assert (
        as_user("kasi")
        .post(f"/tugas/{task.id}", data=gen_form("beri_akses", akses_operator="ratna.op"))
        .status_code
        == 302
    )
    extraction = open_task(engine, instance.id)
    assert extraction.element_id == "ekstraksi_data"
    assert extraction.claimed_by == "ratna.op"
    assert "Membuka gudang data" not in as_user("operator").get("/kotak-masuk").get_data(
        as_text=True
    )  # the other operator does not see it
    engine.complete(extraction.id, "ratna.op", gen_form("ekstraksi_data"))
    check = open_task(engine, instance.id, "pemeriksaan_kasi")
    engine.complete(check.id, "kasi", gen_form("pemeriksaan_kasi", pemeriksaan_hasil="perbaiki"))
    again = open_task(engine, instance.id, "ekstraksi_data")
    assert again.claimed_by == "ratna.op"
    engine.complete(again.id, "ratna.op", gen_form("ekstraksi_data"))
    actions.run_until(instance.id, stop_before="tanda_tangan_kadin")
    signing = open_task(engine, instance.id, "tanda_tangan_kadin")
    returned = gen_form(
        "tanda_tangan_kadin",
        ttd_keputusan="kembalikan",
        ttd_kembalikan_kepada="operator",
        ttd_catatan_revisi="Ambil ulang per desa",
    )
    engine.complete(signing.id, "kepala_dinas", returned)
    assert open_task(engine, instance.id, "ekstraksi_data").claimed_by == "ratna.op"


def _extraction(actions, **form) -> tuple:
    _instance, task = _at(actions, "ekstraksi_data")
    data = gen_form("ekstraksi_data", **form)
    return task, data


def test_region_period_and_table_are_pickers_not_text_boxes(as_user, actions, loaded_warehouse):
    _instance, task = _at(actions, "ekstraksi_data")
    page = as_user("operator").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert (
        'id="f-permintaan_wilayah-kecamatan"' in page and 'id="f-permintaan_wilayah-desa"' in page
    )
    assert ">Wanadadi</option>" in page  # a kecamatan of Banjarnegara by name
    period = page.split('id="f-permintaan_periode"')[1].split("</select>")[0]
    assert "Semester I 2026 (keadaan 30 Juni 2026)" in period and "selected" in period
    assert "Spesifikasi kustom (JSON)" not in page
    assert '<input type="hidden" name="permintaan_spec"' in page
    assert 'id="f-permintaan_spec-kolom1"' in page


def test_a_desa_outside_the_chosen_kecamatan_is_refused_naming_the_field(
    as_user, actions, loaded_warehouse
):
    task, data = _extraction(actions, operator_catatan="Untuk Bappeda")
    data |= {
        "_permintaan_wilayah__kabupaten": "33.04",
        "_permintaan_wilayah__kecamatan": "33.04.01",  # Susukan
        "_permintaan_wilayah__desa": "33.04.06.1001",  # Argasoka, of another kecamatan
    }
    response = as_user("operator").post(f"/tugas/{task.id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Wilayah: Kelurahan Argasoka" in page and "tidak berada di Kecamatan Susukan" in page
    kecamatan = page.split('id="f-permintaan_wilayah-kecamatan"')[1].split("</select>")[0]
    assert 'value="33.04.01" selected' in kecamatan  # the picks are kept
    assert "Untuk Bappeda" in page
    assert open_task(actions.engine, task.instance_id).element_id == "ekstraksi_data"


def test_an_unknown_period_is_refused_naming_the_field(as_user, actions, loaded_warehouse):
    task, data = _extraction(actions, permintaan_periode="2031-2")
    response = as_user("operator").post(f"/tugas/{task.id}/pratinjau", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Periode data: periode «2031-2» tidak ada di gudang data" in page
    assert "Semester I 2026" in page


def test_the_region_picks_compose_the_code_the_query_reads(
    as_user, actions, engine, loaded_warehouse
):
    task, data = _extraction(actions)
    data |= {
        "_permintaan_wilayah__kabupaten": "33.04",
        "_permintaan_wilayah__kecamatan": "33.04.06",
        "_permintaan_wilayah__desa": "",
    }
    assert as_user("operator").post(f"/tugas/{task.id}", data=data).status_code == 302
    assert engine.instance_data(task.instance_id)["permintaan_wilayah"] == "33.04.06"


def _grant(engine, instance_id: int) -> None:
    """The warehouse grant the real ``warehouse.grant`` topic keeps (the stand-in keeps none)."""
    from warehouse.access import create_grant

    now = engine.clock()
    with engine.db.transaction() as session:
        create_grant(session, instance_id, "operator", date(2026, 3, 19), "kasi", now)


def _builder(**parts) -> dict[str, str]:
    base = {
        "kolom1": "age_group",
        "kolom2": "sex",
        "kolom3": "",
        "bands": "produktif",
        "filter_dim": "religion",
        "age_min": "",
        "age_max": "",
        "measure": "persons",
    }
    base.update(parts)
    return {f"_permintaan_spec__{key}": value for key, value in base.items()}


def test_the_table_builder_writes_the_spec_the_warehouse_runs(
    as_user, actions, engine, loaded_warehouse
):
    task, data = _extraction(actions, permintaan_preset="kustom")
    form = MultiDict(
        list((data | _builder(age_min="17")).items())
        + [
            ("_permintaan_spec__filter_religion", "1"),
            ("_permintaan_spec__filter_religion", "2"),
            ("_permintaan_spec__filter_education", "5"),  # another dimension's list: not the filter
        ]
    )
    _grant(engine, task.instance_id)
    client = as_user("operator")
    preview = client.post(f"/tugas/{task.id}/pratinjau", data=form).get_data(as_text=True)
    assert "Kelompok Umur" in preview and "15-64" in preview and "Agama: ISLAM, KRISTEN" in preview
    assert client.post(f"/tugas/{task.id}", data=form).status_code == 302
    spec = json.loads(engine.instance_data(task.instance_id)["permintaan_spec"])
    assert spec == {
        "dimensions": ["age_group", "sex"],
        "measure": "persons",
        "age_bands": [0, 15, 65],
        "filters": {"religion": ["1", "2"], "age": {"min": 17}},
    }


def test_a_table_without_columns_or_filter_values_is_refused_by_name(
    as_user, actions, loaded_warehouse
):
    task, data = _extraction(actions, permintaan_preset="kustom")
    response = as_user("operator").post(
        f"/tugas/{task.id}", data=data | _builder(kolom1="", kolom2="", age_max="300")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tabel kustom: pilih paling sedikit satu rincian kolom" in page
    assert "pilih paling sedikit satu nilai untuk filter Agama" in page
    assert "Umur sampai harus bilangan bulat 0–120" in page
    assert 'value="300"' in page  # what was typed stays


def test_the_kasis_check_offers_csv_and_xlsx_of_the_table(as_user, actions):
    _instance, task = _at(actions, "pemeriksaan_kasi")
    client = as_user("kasi")
    page = client.get(f"/tugas/{task.id}").get_data(as_text=True)
    summary = page.split('class="card decision-summary"')[1].split("</section>")[0]
    assert "data.csv" in summary and "data.xlsx" in summary
    csv = client.get(f"/riwayat/{task.instance_id}/data.csv")
    assert csv.status_code == 200 and "LAKI-LAKI" in csv.get_data(as_text=True)
    xlsx = client.get(f"/riwayat/{task.instance_id}/data.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_receipt_is_prefilled_from_the_request(as_user, actions):
    _instance, task = _at(actions, "pengiriman_jfu", instansi_pengirim="Dinas Sosial")
    page = as_user("jfu").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert 'name="penerima_instansi" value="Dinas Sosial"' in page
    assert 'name="penerima_jabatan" value="Kepala Bappeda Kabupaten Banjarnegara"' in page
    assert 'name="tanggal_terima" value="2026-03-12"' in page


def test_the_api_refuses_an_operator_without_the_role(app, actions, engine):
    from tests.web.conftest import sign_in

    _instance, task = _at(actions, "beri_akses")
    client = app.test_client()
    sign_in(client, app, "kasi")
    response = client.post(
        f"/api/v1/tasks/{task.id}/complete", json=gen_form("beri_akses", akses_operator="jfu")
    )
    assert response.status_code == 422
    [field] = response.get_json()["error"]["fields"]
    assert field["field"] == "akses_operator" and "bukan pengguna aktif" in field["message"]


#: another SOP's diagram using the pickers on its start form, with no Python of its own
OTHER_SOP = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://laksana/uji">
  <bpmn:process id="uji_jaringan" name="Uji gangguan jaringan" isExecutable="true"
      camunda:candidateStarterGroups="kasi">
    <bpmn:laneSet id="jalur"><bpmn:lane id="lane_kasi" name="Kasi">
      <bpmn:flowNodeRef>mulai</bpmn:flowNodeRef><bpmn:flowNodeRef>perbaiki</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>selesai</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="mulai"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="lokasi" label="Lokasi gangguan" type="string">
        <camunda:properties><camunda:property id="picker" value="wilayah" /></camunda:properties>
        <camunda:validation><camunda:constraint name="required" /></camunda:validation></camunda:formField>
      <camunda:formField id="teknisi" label="Teknisi" type="string">
        <camunda:properties><camunda:property id="picker" value="pengguna" />
          <camunda:property id="picker_role" value="operator" /></camunda:properties>
        <camunda:validation><camunda:constraint name="required" /></camunda:validation></camunda:formField>
    </camunda:formData></bpmn:extensionElements><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="perbaiki" name="Memperbaiki jaringan" camunda:assignee="${teknisi}">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="selesai"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="perbaiki" />
    <bpmn:sequenceFlow id="f2" sourceRef="perbaiki" targetRef="selesai" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_another_sops_start_form_uses_the_same_pickers(as_user, engine):
    engine.deploy(OTHER_SOP.encode(), "uji_jaringan.bpmn")
    client = as_user("kasi")
    page = client.get("/layanan/uji_jaringan").get_data(as_text=True)
    assert 'id="f-lokasi-kecamatan"' in page and ">Dewi Lestari, A.Md. (operator)</option>" in page
    wrong = {
        "_lokasi__kabupaten": "33.04",
        "_lokasi__kecamatan": "33.04.01",
        "_lokasi__desa": "33.04.06.1001",
        "teknisi": "jfu",
    }
    response = client.post("/layanan/uji_jaringan", data=wrong)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Lokasi gangguan: Kelurahan Argasoka tidak berada di Kecamatan Susukan" in page
    assert "Teknisi: «jfu» bukan pengguna aktif dengan peran Operator" in page
    assert engine.list_instances(process_id="uji_jaringan") == []
    right = wrong | {"_lokasi__kecamatan": "33.04.06", "teknisi": "operator"}
    assert client.post("/layanan/uji_jaringan", data=right).status_code == 302
    [instance] = engine.list_instances(process_id="uji_jaringan")
    assert engine.instance_data(instance.id)["lokasi"] == "33.04.06.1001"
    [task] = engine.tasks(instance_id=instance.id)
    assert task.claimed_by == "operator"


def test_an_unreadable_warehouse_leaves_the_operators_page_open(as_user, actions, settings):
    from pathlib import Path

    Path(settings.warehouse_url.removeprefix("duckdb:///")).write_bytes(b"no database here")
    _instance, task = _at(actions, "ekstraksi_data")
    response = as_user("operator").get(f"/tugas/{task.id}")
    assert response.status_code == 200
    assert "Gudang data belum berisi periode apa pun" in response.get_data(as_text=True)


def test_the_pickers_speak_english_when_it_is_chosen(as_user, actions, loaded_warehouse):
    task, data = _extraction(actions, permintaan_periode="2031-2")
    client = as_user("operator")
    client.post("/bahasa", data={"lang": "en", "next": "/kotak-masuk"})
    page = client.post(f"/tugas/{task.id}", data=data).get_data(as_text=True)
    assert "the period «2031-2» is not in the data warehouse" in page
    assert ">District (kecamatan)</label>" in page and "The whole regency" in page
