"""Message event subprocesses below the top level: inside an embedded subprocess and inside a
process reached through a call activity. The message starts them (by name and correlation key)
only while their (sub)process runs; each diagram runs to its end through the facade with a
save/restore between steps (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.engine.diagram_tools import complete, deploy, forget, open_tasks


def open_ids(engine, instance_id: int) -> list[str]:
    return sorted(t.element_id for t in open_tasks(engine, instance_id))


def _in_embedded_subprocess(engine, key: str) -> int:
    deploy(engine, "nested_message_subprocess.bpmn")
    instance = engine.start("uji_pesan_bersarang", {}, user="kasi", business_key=key)
    forget(engine)
    # the embedded subprocess has not started: nothing waits for its messages yet
    assert engine.correlate_message("catatan_pemohon", {}, key) == []
    complete(engine, instance.id, "siapkan", "kasi")
    assert open_ids(engine, instance.id) == ["periksa"]
    forget(engine)
    return instance.id


def test_a_message_starts_a_non_interrupting_event_subprocess_of_an_embedded_subprocess(engine):
    instance_id = _in_embedded_subprocess(engine, "NM-1")
    caught = engine.correlate_message("catatan_pemohon", {"catatan": "KK menyusul"}, "NM-1")
    assert caught == [instance_id]
    assert open_ids(engine, instance_id) == ["baca_catatan", "periksa"]
    forget(engine)
    # a second note starts a second one beside it
    assert engine.correlate_message("catatan_pemohon", {}, "NM-1") == [instance_id]
    assert open_ids(engine, instance_id) == ["baca_catatan", "baca_catatan", "periksa"]
    [note, _second] = open_tasks(engine, instance_id, "baca_catatan")
    forget(engine)
    assert engine.task(note.id).data["catatan"] == "KK menyusul"
    complete(engine, instance_id, "baca_catatan", "kasi")
    complete(engine, instance_id, "baca_catatan", "kasi")
    complete(engine, instance_id, "periksa", "kasi")
    assert open_ids(engine, instance_id) == ["arsipkan"]
    assert ("message_caught", "mulai_catatan") in [
        (h.action, h.element_id) for h in engine.history(instance_id)
    ]
    assert complete(engine, instance_id, "arsipkan", "kasi").status == "completed"


def test_an_interrupting_one_cancels_only_the_rest_of_its_embedded_subprocess(engine):
    instance_id = _in_embedded_subprocess(engine, "NM-2")
    assert engine.correlate_message("berkas_ditarik", {"alasan": "salah"}, "NM-2") == [instance_id]
    assert open_ids(engine, instance_id) == ["catat_penarikan"]  # periksa cancelled
    forget(engine)
    # the interrupted subprocess's event subprocesses start no more
    assert engine.correlate_message("catatan_pemohon", {}, "NM-2") == []
    assert engine.correlate_message("berkas_ditarik", {}, "NM-2") == []
    assert open_ids(engine, instance_id) == ["catat_penarikan"]
    complete(engine, instance_id, "catat_penarikan", "kasi")
    # the embedded subprocess ends through its event subprocess; the process runs on after it
    assert open_ids(engine, instance_id) == ["arsipkan"]
    forget(engine)
    assert engine.instance_data(instance_id)["alasan"] == "salah"
    assert complete(engine, instance_id, "arsipkan", "kasi").status == "completed"
    completed = engine.element_states(instance_id)["completed"]
    assert "catat_penarikan" in completed and "periksa" not in completed


def test_once_the_embedded_subprocess_has_ended_its_messages_are_not_awaited(engine):
    instance_id = _in_embedded_subprocess(engine, "NM-3")
    complete(engine, instance_id, "periksa", "kasi")
    assert open_ids(engine, instance_id) == ["arsipkan"]
    forget(engine)
    assert engine.correlate_message("catatan_pemohon", {}, "NM-3") == []
    assert engine.correlate_message("berkas_ditarik", {}, "NM-3") == []
    assert open_ids(engine, instance_id) == ["arsipkan"]
    assert complete(engine, instance_id, "arsipkan", "kasi").status == "completed"


def _through_a_call_activity(engine, key: str) -> int:
    deploy(engine, "called_with_message_subprocess.bpmn")
    deploy(engine, "caller_of_message_subprocess.bpmn")
    instance = engine.start("uji_pemanggil_pesan", {}, user="kasi", business_key=key)
    assert open_ids(engine, instance.id) == ["verifikasi"]
    forget(engine)
    return instance.id


def test_a_message_reaches_the_event_subprocesses_of_a_called_process(engine):
    instance_id = _through_a_call_activity(engine, "NM-4")
    assert engine.correlate_message("dokumen_susulan", {"berkas": "akta"}, "NM-4") == [instance_id]
    assert open_ids(engine, instance_id) == ["terima_susulan", "verifikasi"]
    complete(engine, instance_id, "terima_susulan", "kasi")
    complete(engine, instance_id, "verifikasi", "kasi")
    assert open_ids(engine, instance_id) == ["setujui"]
    forget(engine)
    assert engine.correlate_message("dokumen_susulan", {}, "NM-4") == []  # the call has ended
    assert engine.correlate_message("verifikasi_dibatalkan", {}, "NM-4") == []
    assert complete(engine, instance_id, "setujui", "kasi").status == "completed"


def test_an_interrupting_one_in_a_called_process_ends_only_the_call(engine):
    instance_id = _through_a_call_activity(engine, "NM-5")
    assert engine.correlate_message("verifikasi_dibatalkan", {}, "NM-5") == [instance_id]
    assert open_ids(engine, instance_id) == ["catat_batal"]
    complete(engine, instance_id, "catat_batal", "kasi")
    assert open_ids(engine, instance_id) == ["setujui"]
    assert complete(engine, instance_id, "setujui", "kasi").status == "completed"
