"""A complaint's unit never sees who complained (keys ``pelapor_*``), wherever it looks."""

from __future__ import annotations

from tests.web.conftest import open_task
from tests.web.test_api import basic

COMPLAINT = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="def_uji" targetNamespace="http://example.invalid/uji">
  <bpmn:process id="pengaduan_uji" name="Pengaduan (uji)" isExecutable="true">
    <bpmn:startEvent id="mulai"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="verifikasi" name="Memverifikasi pengaduan" camunda:candidateGroups="petugas_pengaduan">
      <bpmn:extensionElements><camunda:formData>
        <camunda:formField id="pelapor_nama" label="Nama pelapor" type="string" />
        <camunda:formField id="ringkasan" label="Ringkasan" type="string" />
      </camunda:formData></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="tanggapan_unit" name="Menanggapi pengaduan" camunda:candidateGroups="unit_layanan">
      <bpmn:extensionElements><camunda:formData>
        <camunda:formField id="tanggapan" label="Tanggapan" type="string" />
      </camunda:formData></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="selesai"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="verifikasi" />
    <bpmn:sequenceFlow id="f2" sourceRef="verifikasi" targetRef="tanggapan_unit" />
    <bpmn:sequenceFlow id="f3" sourceRef="tanggapan_unit" targetRef="selesai" />
  </bpmn:process>
</bpmn:definitions>
"""
NAME, PHONE = "Siti Rahmawati", "0812-3456-7890"


def _complaint(engine):
    engine.deploy(COMPLAINT, "pengaduan_uji.bpmn")
    instance = engine.start(
        "pengaduan_uji",
        {"pelapor_nama": NAME, "pelapor_kontak": PHONE, "ringkasan": "Antrean KTP terlalu lama"},
        "petugas_pengaduan",
    )
    engine.complete(
        open_task(engine, instance.id).id,
        "petugas_pengaduan",
        {"pelapor_nama": NAME, "ringkasan": "Antrean KTP terlalu lama"},
    )
    return instance


def test_the_unit_complained_about_never_sees_the_complainant(as_user, client, engine):
    instance = _complaint(engine)
    task = open_task(engine, instance.id)
    unit = as_user("unit_layanan")
    seen = [
        unit.get(f"/tugas/{task.id}").get_data(as_text=True),
        unit.get(f"/riwayat/{instance.id}").get_data(as_text=True),
        client.get(f"/api/v1/tasks/{task.id}", headers=basic("unit_layanan")).get_data(
            as_text=True
        ),
        client.get(f"/api/v1/instances/{instance.id}", headers=basic("unit_layanan")).get_data(
            as_text=True
        ),
        client.get(
            f"/api/v1/instances/{instance.id}/history", headers=basic("unit_layanan")
        ).get_data(as_text=True),
    ]
    for page in seen:
        assert NAME not in page and PHONE not in page
    # hidden from the unit is who complained, not what about: its task shows the summary
    # (a page that hid everything, or refused the unit, would pass the line above)
    for page in (seen[0], seen[2]):
        assert "Antrean KTP terlalu lama" in page
    assert "(dirahasiakan)" in seen[1]


def test_the_complaint_desk_and_managers_see_what_they_need(as_user, engine):
    instance = _complaint(engine)
    assert NAME in as_user("petugas_pengaduan").get(f"/riwayat/{instance.id}").get_data(
        as_text=True
    )
    manager_page = as_user("manajer").get(f"/riwayat/{instance.id}").get_data(as_text=True)
    assert NAME not in manager_page and "Antrean KTP" in manager_page
