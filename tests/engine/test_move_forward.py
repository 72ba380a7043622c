"""An administrator moves an instance forward to a later step; what cannot move is refused.

Each test runs on SQLite and on PostgreSQL (the engine suite's ``database`` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import EngineError, Forbidden
from engine.models import AuditEntry
from tests.engine.diagram_tools import complete, deploy, forget, open_tasks


def moved_rows(engine, instance_id):
    with engine.db.Session() as session:
        return session.scalars(
            select(AuditEntry).where(
                AuditEntry.instance_id == instance_id, AuditEntry.action == "moved"
            )
        ).all()


def test_an_instance_moves_forward_past_steps_and_a_gateway_and_runs_on(engine, actions):
    instance = actions.start()
    assert "ekstraksi_data" in dict(engine.steps_ahead(instance.id))
    with pytest.raises(Forbidden):
        engine.move_forward(instance.id, "analis", "ekstraksi_data", "surat sudah lengkap")

    forget(engine)
    moved = engine.move_forward(
        instance.id, "admin", "ekstraksi_data", "disposisi sudah diberikan di atas kertas"
    )

    assert moved.current_tasks == ["ekstraksi_data"]
    [row] = moved_rows(engine, instance.id)
    assert row.element_id == "ekstraksi_data" and row.data["direction"] == "forward"
    assert row.data["from"] == ["registrasi_surat"]
    assert row.data["passed"][:3] == ["registrasi_surat", "disposisi_kadin", "gw_keputusan"]
    assert "buat_surat_penolakan" not in row.data["passed"]  # the gateway took the way ahead
    forget(engine)  # the moved state survives a save/restore round trip
    assert [t.element_id for t in engine.tasks(instance_id=instance.id)] == ["ekstraksi_data"]
    assert actions.run_until(instance.id).status == "completed"


def test_a_step_with_a_deadline_keeps_its_deadline_after_a_move_forward(engine, actions):
    instance = actions.start()
    engine.move_forward(instance.id, "admin", "disposisi_kabid", "kadin sudah setuju lisan")
    forget(engine)
    [task] = engine.tasks(instance_id=instance.id)
    assert task.element_id == "disposisi_kabid"
    assert engine.instance(instance.id).next_timer is not None  # its boundary timer waits
    assert actions.run_until(instance.id).status == "completed"


def test_a_gateway_or_a_step_not_ahead_is_refused_in_one_sentence(engine, actions):
    instance = actions.run_until(actions.start().id, stop_before="beri_akses")
    with pytest.raises(EngineError, match=r"'.*' \(gw_pemeriksaan\) bukan langkah kerja"):
        engine.move_forward(instance.id, "admin", "gw_pemeriksaan", "coba gerbang saja")
    with pytest.raises(
        EngineError, match=r"'Mencatat surat masuk.*' \(registrasi_surat\) tidak terletak"
    ):
        engine.move_forward(instance.id, "admin", "registrasi_surat", "langkah yang sudah lewat")
    with pytest.raises(EngineError, match="tidak terletak di depan"):
        engine.move_forward(instance.id, "admin", "tidak_ada", "langkah yang tidak ada")
    assert engine.instance(instance.id).current_tasks == ["beri_akses"]
    assert moved_rows(engine, instance.id) == []


def test_a_move_across_an_inclusive_or_parallel_join_is_refused(engine):
    deploy(engine, "gateways.bpmn")
    instance = engine.start("uji_gerbang", {"ktp": True, "kk": True, "akta": False}, user="kasi")
    assert "arsip" not in dict(engine.steps_ahead(instance.id))
    with pytest.raises(EngineError, match="di seberang gerbang inklusif"):
        engine.move_forward(instance.id, "admin", "arsip", "arsip dulu saja")
    complete(engine, instance.id, "cek_ktp", "kasi")
    complete(engine, instance.id, "cek_kk", "kasi")
    with pytest.raises(EngineError, match="di seberang gerbang paralel"):
        engine.move_forward(instance.id, "admin", "tutup", "tutup sekarang")
    assert sorted(t.element_id for t in open_tasks(engine, instance.id)) == ["arsip", "kirim"]


def test_a_failed_step_is_passed_by_moving_forward_and_its_incident_closes(engine, actions):
    from engine.services import ServiceError

    def refuse(call):
        raise ServiceError("gudang data tidak dapat dihubungi")

    engine.services.register("warehouse.aggregate", refuse)
    instance = actions.run_until(actions.start().id, stop_before="ekstraksi_data")
    done = actions.complete(instance.id, "ekstraksi_data", permintaan_periode="2026-1")
    assert done.status == "incident"
    assert "pemeriksaan_kasi" in dict(engine.steps_ahead(instance.id))
    moved = engine.move_forward(
        instance.id, "admin", "pemeriksaan_kasi", "data diambil manual oleh operator"
    )
    assert moved.status == "running" and moved.current_tasks == ["pemeriksaan_kasi"]
    assert engine.incidents(instance_id=instance.id) == []


def test_a_loop_round_is_not_moved_but_an_open_subprocess_is_passed_whole(engine):
    deploy(engine, "loop_and_subprocess.bpmn")
    instance = engine.start("uji_loop", {}, user="kasi")
    with pytest.raises(EngineError, match="satu putaran atau instans dari langkah berulang"):
        engine.move_forward(instance.id, "admin", "konfirmasi", "lewati putaran")
    complete(engine, instance.id, "ulangi", "kasi", {"lagi": False})
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["isi_sub"]
    moved = engine.move_forward(instance.id, "admin", "konfirmasi", "subproses sudah di kertas")
    assert moved.current_tasks == ["konfirmasi"]  # the subprocess's open step went with it
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["konfirmasi"]
    assert complete(engine, instance.id, "konfirmasi", "kasi").status == "completed"


def test_an_instance_waiting_for_a_message_moves_on_and_waits_no_more(engine):
    deploy(engine, "collaboration.bpmn")
    instance = engine.start("uji_pesan", {}, user="kasi", business_key="REG-9")
    assert dict(engine.steps_ahead(instance.id)).keys() >= {"terima_jawaban", "periksa"}
    moved = engine.move_forward(instance.id, "admin", "periksa", "berkas dan jawaban lewat loket")
    assert moved.current_tasks == ["periksa"]
    forget(engine)
    assert engine.correlate_message("berkas_lengkap", {}, "REG-9") == []
    assert engine.instance(instance.id).next_timer is None
    assert complete(engine, instance.id, "periksa", "kasi").status == "completed"
