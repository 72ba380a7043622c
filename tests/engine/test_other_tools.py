"""Diagrams exported by other modelling tools run, or are refused one line per element naming
it, its line and what to change (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from engine.errors import DiagramInvalid
from tests.engine.diagram_tools import DIAGRAMS, complete, open_tasks


def deploy_other(engine, name: str):
    path = DIAGRAMS / "other_tools" / name
    return engine.deploy(path.read_bytes(), name)


def test_a_signavio_export_with_its_metadata_runs_to_its_end(engine):
    [result] = deploy_other(engine, "signavio.bpmn")
    instance = engine.start(result.process_id, {"lengkap": True}, user="kasi")
    [task] = open_tasks(engine, instance.id)
    assert task.element_id == "sid-periksa" and task.role == "kasi"
    complete(engine, instance.id, "sid-periksa", "kasi")
    assert complete(engine, instance.id, "sid-tanda-tangan", "kasi").status == "completed"


def test_a_bpmn_io_export_with_a_manual_task_runs_to_its_end(engine):
    [result] = deploy_other(engine, "bpmn_io.bpmn")
    instance = engine.start(result.process_id, {}, user="kasi")
    assert complete(engine, instance.id, "Activity_0cek", "kasi").status == "completed"


def test_a_camunda_8_export_is_refused_saying_what_laksana_does_not_read(engine):
    with pytest.raises(DiagramInvalid) as refused:
        deploy_other(engine, "zeebe.bpmn")
    by_element = {issue.element_id: issue for issue in refused.value.issues}
    assert set(by_element) == {"Task_periksa", "Task_kirim"}
    user_task, service = by_element["Task_periksa"], by_element["Task_kirim"]
    assert (user_task.line, service.line) == (5, 9)
    assert user_task.message == (
        "tugas pengguna 'Periksa surat' (Task_periksa) tidak dapat dikerjakan siapa pun: "
        "letakkan di lajur (lane) yang bernama peran, atau isi camunda:candidateGroups; "
        "zeebe:assignmentDefinition (Camunda 8) tidak dibaca oleh Laksana"
    )
    assert service.message.startswith(
        "tugas layanan 'Kirim pemberitahuan' (Task_kirim) perlu camunda:type=\"external\""
    )
    assert service.message.endswith(
        "; zeebe:taskDefinition (Camunda 8) tidak dibaca oleh Laksana, ganti dengan topik itu"
    )
