"""Messages from outside reach the waiting instance (and only it, with a correlation key)."""

from tests.engine.diagram_tools import complete, deploy, forget, open_tasks


def test_a_message_reaches_only_the_instance_with_its_key(engine):
    deploy(engine, "collaboration.bpmn")
    first = engine.start("uji_pesan", {}, user="kasi", business_key="REG-1")
    second = engine.start("uji_pesan", {}, user="kasi", business_key="REG-2")
    assert first.status == "running" and not open_tasks(engine, first.id)
    forget(engine)
    assert engine.correlate_message("berkas_lengkap", {"lembar": 3}, "REG-1") == [first.id]
    forget(engine)
    # the receive task waits for the second message
    assert engine.correlate_message("berkas_lengkap", {}, "REG-1") == []
    assert engine.correlate_message("jawaban_pemohon", {"jawaban": "setuju"}, "REG-1") == [first.id]
    forget(engine)
    assert engine.instance_data(first.id)["lembar"] == 3
    assert engine.instance_data(first.id)["jawaban"] == "setuju"
    assert not open_tasks(engine, second.id)  # the other instance still waits
    assert complete(engine, first.id, "periksa", "kasi").status == "completed"
    history = [(h.action, h.element_id) for h in engine.history(first.id)]
    assert ("message_caught", "tunggu_berkas") in history
    assert ("message_caught", "terima_jawaban") in history


def test_a_message_without_a_key_reaches_every_waiting_instance(engine):
    deploy(engine, "collaboration.bpmn")
    ids = [engine.start("uji_pesan", {}, user="kasi").id for _ in range(2)]
    forget(engine)
    assert engine.correlate_message("berkas_lengkap") == ids
    assert engine.correlate_message("tidak_dikenal") == []
