"""Instances of every BPMN construct the engine runs, waiting at once, break nobody's pages;
a manual task is confirmed with one button."""

from __future__ import annotations

import json

from click.testing import CliRunner
from flask.cli import ScriptInfo

from tests.engine.diagram_tools import deploy, open_tasks
from tests.web.test_api import basic
from web.cli import cli

#: (diagram, process id, start data): one running instance of each
CONSTRUCTS = [
    ("multi_instance.bpmn", "uji_multi_instance", {"berkas": ["KTP", "KK"]}),
    ("loop_and_subprocess.bpmn", "uji_loop", {}),
    ("event_subprocess.bpmn", "uji_event_sub", {}),
    ("event_subprocess_start.bpmn", "uji_event_sub_mulai", {}),
    ("collaboration.bpmn", "uji_pesan", {}),
    ("signals.bpmn", "uji_sinyal", {}),
    ("boundary_errors.bpmn", "uji_batas", {}),
    ("gateways.bpmn", "uji_gerbang", {"ktp": True, "kk": True, "akta": False}),
    ("data_objects.bpmn", "uji_data", {"jumlah_lembar": 2}),
]


def start_every_construct(engine) -> list[int]:
    ids = []
    for diagram, process_id, data in CONSTRUCTS:
        deploy(engine, diagram)
        ids.append(engine.start(process_id, data, user="kasi").id)
    deploy(engine, "message_events.bpmn")
    ids += engine.correlate_message("permohonan_masuk", {}, "PESAN-1")
    return ids


def test_running_instances_of_every_construct_break_no_other_users_pages(
    app, as_user, engine, started
):
    ids = start_every_construct(engine)
    assert all(engine.instance(i).status == "running" for i in ids)
    [kadin_task] = engine.tasks(instance_id=started.id)
    client = as_user("kepala_dinas")
    inbox = client.get("/kotak-masuk")
    assert inbox.status_code == 200 and f"/tugas/{kadin_task.id}" in inbox.get_data(as_text=True)
    assert client.get(f"/riwayat/{started.id}").status_code == 200
    as_user("kasi")
    for instance_id in ids:
        assert client.get(f"/riwayat/{instance_id}").status_code == 200, instance_id
    listed = client.get("/api/v1/tasks", headers=basic("kepala_dinas")).get_json()["tasks"]
    assert [t["instance_id"] for t in listed] == [started.id]
    kasi_tasks = client.get("/api/v1/tasks", headers=basic("kasi")).get_json()["tasks"]
    assert sorted(t["id"] for t in kasi_tasks) == sorted(t.id for t in engine.tasks(user="kasi"))
    assert len({t["instance_id"] for t in kasi_tasks}) >= len(CONSTRUCTS) - 1
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda *_args: app)
    shown = runner.invoke(cli, ["tasks", "--json"], obj=info, catch_exceptions=False)
    assert shown.exit_code == 0
    assert {t["instance_id"] for t in json.loads(shown.output)} >= {started.id}


def test_a_manual_task_is_confirmed_with_one_button(as_user, engine):
    deploy(engine, "loop_and_subprocess.bpmn")
    instance = engine.start("uji_loop", {}, user="kasi")
    for element_id, data in (("ulangi", {"lagi": False}), ("isi_sub", {})):
        [task] = open_tasks(engine, instance.id, element_id)
        engine.complete(task.id, "kasi", data)
    [manual] = open_tasks(engine, instance.id, "konfirmasi")
    client = as_user("kasi")
    html = client.get(f"/tugas/{manual.id}").get_data(as_text=True)
    form = html.split('id="form-h"')[1].split("</form>")[0]
    assert "Konfirmasi langkah" in form and "Konfirmasi sudah dikerjakan" in form
    assert form.count("<button") == 1 and form.count("<input") == 1  # the CSRF token only
    assert as_user("operator").post(f"/tugas/{manual.id}", data={}).status_code == 403
    assert as_user("kasi").post(f"/tugas/{manual.id}", data={}).status_code == 302
    assert engine.instance(instance.id).status == "completed"


def test_a_message_through_the_api_starts_an_instance_and_reaches_it_by_its_key(client, engine):
    deploy(engine, "message_events.bpmn")

    def send(name: str, key: str, payload: dict | None = None):
        body = {"name": name, "correlation_key": key, "payload": payload or {}}
        return client.post("/api/v1/messages", headers=basic("analis"), json=body)

    started = send("permohonan_masuk", "API-1", {"nama": "Sri"})
    assert started.status_code == 200
    [instance_id] = started.get_json()["instances"]
    assert engine.instance(instance_id).business_key == "API-1"
    [task] = open_tasks(engine, instance_id, "terima")
    engine.complete(task.id, "kasi", {})
    assert send("balasan_pemohon", "API-2").status_code == 404  # no instance has that key
    assert send("balasan_pemohon", "API-1").get_json()["instances"] == [instance_id]
    assert [t.element_id for t in open_tasks(engine, instance_id)] == ["tindak_balasan"]


def test_a_message_through_the_api_starts_an_event_subprocess_inside_an_embedded_one(
    client, engine
):
    deploy(engine, "nested_message_subprocess.bpmn")
    instance = engine.start("uji_pesan_bersarang", {}, user="kasi", business_key="API-3")
    [task] = open_tasks(engine, instance.id, "siapkan")
    engine.complete(task.id, "kasi", {})

    def send(name: str):
        body = {"name": name, "correlation_key": "API-3", "payload": {"catatan": "KK menyusul"}}
        return client.post("/api/v1/messages", headers=basic("analis"), json=body)

    assert send("catatan_pemohon").get_json()["instances"] == [instance.id]
    assert sorted(t.element_id for t in open_tasks(engine, instance.id)) == [
        "baca_catatan",
        "periksa",
    ]
    for element_id in ("baca_catatan", "periksa"):
        [task] = open_tasks(engine, instance.id, element_id)
        engine.complete(task.id, "kasi", {})
    late = send("catatan_pemohon")  # the embedded subprocess has ended
    assert late.status_code == 404
    answer = late.get_json()["error"]["message"]
    assert "API-3" in answer and "catatan_pemohon" in answer
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["arsipkan"]
