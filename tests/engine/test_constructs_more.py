"""Multi-instance with input/output collections (service and user tasks), inclusive gateways,
data objects with process data inputs/outputs: each small diagram runs to its end through the
facade with a save/restore between steps (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from engine.errors import EngineError
from tests.engine.diagram_tools import complete, deploy, forget, open_tasks


def numbering(call):
    return {"nomor": f"NO-{call.data['satu_berkas']}"}


def test_parallel_service_and_sequential_user_instances_fill_their_output_collections(engine):
    engine.services.register("uji.nomor", numbering)
    deploy(engine, "mi_collections.bpmn")
    instance = engine.start("uji_mi_koleksi", {"berkas": ["KTP", "KK", "AKTA"]}, user="kasi")
    forget(engine)
    assert engine.instance_data(instance.id)["nomor_semua"] == ["NO-KTP", "NO-KK", "NO-AKTA"]
    seen = []
    for note in ("satu", "dua", "tiga"):
        [task] = open_tasks(engine, instance.id, "tinjau")  # one at a time, in order
        seen.append(engine.task(task.id).data["satu_nomor"])
        done = complete(engine, instance.id, "tinjau", "kasi", {"catatan": note})
    assert seen == ["NO-KTP", "NO-KK", "NO-AKTA"]
    assert done.status == "completed"
    forget(engine)
    assert engine.instance_data(instance.id)["catatan_semua"] == ["satu", "dua", "tiga"]
    history = [(h.action, h.element_id) for h in engine.history(instance.id)]
    assert history.count(("service_ok", "beri_nomor")) == 3


def test_an_inclusive_gateway_takes_every_true_branch_and_joins_them(engine):
    deploy(engine, "gateways.bpmn")
    instance = engine.start("uji_gerbang", {"ktp": True, "kk": False, "akta": True}, user="kasi")
    assert sorted(t.element_id for t in open_tasks(engine, instance.id)) == ["cek_akta", "cek_ktp"]
    complete(engine, instance.id, "cek_ktp", "kasi")
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["cek_akta"]  # join waits
    complete(engine, instance.id, "cek_akta", "kasi")
    assert sorted(t.element_id for t in open_tasks(engine, instance.id)) == ["arsip", "kirim"]
    complete(engine, instance.id, "kirim", "kasi")
    complete(engine, instance.id, "arsip", "kasi")
    assert complete(engine, instance.id, "tutup", "kasi").status == "completed"
    assert "cek_kk" not in engine.element_states(instance.id)["completed"]


def test_a_data_object_carries_a_value_between_steps_and_the_output_is_kept(engine):
    deploy(engine, "data_objects.bpmn")
    instance = engine.start("uji_data", {"jumlah_lembar": 4}, user="kasi")
    assert complete(engine, instance.id, "periksa", "kasi").status == "completed"
    forget(engine)
    data = engine.instance_data(instance.id)
    assert data["biaya"] == 8000


def test_a_process_data_input_missing_at_start_is_refused_in_indonesian(engine):
    deploy(engine, "data_objects.bpmn")
    with pytest.raises(EngineError) as refused:
        engine.start("uji_data", {}, user="kasi")
    assert str(refused.value) == (
        "proses 'Uji objek data dan masukan/keluaran' memerlukan data masukan 'Jumlah lembar' "
        "(jumlah_lembar) saat dimulai; kirim data itu bersama permintaan mulai"
    )
