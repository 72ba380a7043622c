"""Signals, error and escalation boundary events, message start/throw/boundary/end events,
event-based gateways and event subprocesses started by a timer or a message: each small diagram
runs to its end through the facade with a save/restore between steps (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.engine.diagram_tools import complete, deploy, forget, open_tasks


def open_ids(engine, instance_id: int) -> list[str]:
    return sorted(t.element_id for t in open_tasks(engine, instance_id))


def test_a_thrown_signal_reaches_a_catch_event_and_an_interrupting_boundary_event(engine):
    deploy(engine, "signals.bpmn")
    instance = engine.start("uji_sinyal", {}, user="kasi")
    assert open_ids(engine, instance.id) == ["catat", "siapkan"]
    complete(engine, instance.id, "siapkan", "kasi")
    assert open_ids(engine, instance.id) == ["periksa_akhir"]  # catat interrupted, catch done
    forget(engine)
    assert engine.instance_data(instance.id)["sinyal_diterima"] is True
    assert complete(engine, instance.id, "periksa_akhir", "kasi").status == "completed"
    states = engine.element_states(instance.id)
    assert {"tunggu_sinyal", "batas_sinyal", "tandai"} <= set(states["completed"])
    assert "catat" not in states["completed"]


def _boundary(engine, data):
    deploy(engine, "boundary_errors.bpmn")
    instance = engine.start("uji_batas", {}, user="kasi")
    complete(engine, instance.id, "periksa_sub", "kasi", data)
    return instance


def test_an_error_boundary_event_interrupts_its_subprocess(engine):
    instance = _boundary(engine, {"rusak": True})
    assert open_ids(engine, instance.id) == ["perbaiki"]
    assert complete(engine, instance.id, "perbaiki", "kasi").status == "completed"
    assert "arsipkan" not in engine.element_states(instance.id)["completed"]


def test_a_non_interrupting_escalation_boundary_event_adds_a_branch(engine):
    instance = _boundary(engine, {"lambat": True})
    assert open_ids(engine, instance.id) == ["arsipkan", "catat_lambat"]
    complete(engine, instance.id, "catat_lambat", "kasi")
    assert complete(engine, instance.id, "arsipkan", "kasi").status == "completed"


def test_without_error_or_escalation_the_subprocess_ends_normally(engine):
    instance = _boundary(engine, {})
    assert open_ids(engine, instance.id) == ["arsipkan"]
    assert complete(engine, instance.id, "arsipkan", "kasi").status == "completed"


def _started_by_message(engine, key: str):
    deploy(engine, "message_events.bpmn")
    forget(engine)
    [instance_id] = engine.correlate_message("permohonan_masuk", {"nama": "Sri"}, key)
    forget(engine)
    assert engine.instance(instance_id).business_key == key
    assert engine.instance_data(instance_id)["nama"] == "Sri"
    complete(engine, instance_id, "terima", "kasi")  # then the throw event sends its message
    return instance_id


def test_a_message_starts_an_instance_and_a_reply_takes_the_gateways_message_branch(engine):
    first = _started_by_message(engine, "REG-1")
    second = _started_by_message(engine, "REG-2")
    assert open_ids(engine, first) == []  # waiting at the event-based gateway
    assert engine.correlate_message("balasan_pemohon", {"isi": "lengkap"}, "REG-1") == [first]
    assert open_ids(engine, first) == ["tindak_balasan"] and open_ids(engine, second) == []
    complete(engine, first, "tindak_balasan", "kasi")
    # the message end event ends the instance
    assert complete(engine, first, "tunggu_tindak", "kasi").status == "completed"
    assert "akhir_pesan" in engine.element_states(first)["completed"]


def test_the_gateways_timer_branch_fires_and_a_boundary_message_cancels_the_task(engine, clock):
    instance_id = _started_by_message(engine, "REG-3")
    clock.advance(days=4)
    forget(engine)
    assert instance_id in engine.tick()
    assert open_ids(engine, instance_id) == ["tunggu_tindak"]
    assert engine.correlate_message("balasan_pemohon", {}, "REG-3") == []  # too late
    assert engine.correlate_message("pembatalan", {"alasan": "ditarik"}, "REG-3") == [instance_id]
    forget(engine)
    assert engine.instance(instance_id).status == "completed"
    assert engine.instance_data(instance_id)["dibatalkan"] is True


def test_a_non_interrupting_message_event_subprocess_runs_beside_the_main_flow(engine):
    deploy(engine, "event_subprocess_start.bpmn")
    instance = engine.start("uji_event_sub_mulai", {}, user="kasi", business_key="ES-1")
    assert engine.correlate_message("info_tambahan", {"info": "KK baru"}, "ES-1") == [instance.id]
    assert open_ids(engine, instance.id) == ["baca_info", "kerjakan"]
    complete(engine, instance.id, "baca_info", "kasi")
    assert complete(engine, instance.id, "kerjakan", "kasi").status == "completed"


def test_an_interrupting_timer_event_subprocess_replaces_the_main_flow(engine, clock):
    deploy(engine, "event_subprocess_start.bpmn")
    instance = engine.start("uji_event_sub_mulai", {}, user="kasi")
    clock.advance(hours=3)
    forget(engine)
    assert instance.id in engine.tick()
    assert open_ids(engine, instance.id) == ["tangani_terlambat"]
    assert complete(engine, instance.id, "tangani_terlambat", "kasi").status == "completed"


def test_an_interrupting_message_event_subprocess_replaces_the_main_flow(engine):
    deploy(engine, "event_subprocess_start.bpmn")
    instance = engine.start("uji_event_sub_mulai", {}, user="kasi", business_key="ES-2")
    assert engine.correlate_message("permohonan_ditarik", {}, "ES-2") == [instance.id]
    assert open_ids(engine, instance.id) == ["catat_penarikan"]
    assert complete(engine, instance.id, "catat_penarikan", "kasi").status == "completed"
