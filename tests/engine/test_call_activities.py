"""Call activities: the latest deployed version or a pinned one; recursion is refused at deploy.

Run through the facade with a save/restore between steps, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from engine.errors import DiagramInvalid
from tests.engine.diagram_tools import DIAGRAMS, complete, deploy, forget, open_tasks

CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '


def caller(binding: str = "", pid: str = "uji_pemanggil") -> bytes:
    xml = (DIAGRAMS / "caller.bpmn").read_text()
    xml = xml.replace("<bpmn:definitions ", f"<bpmn:definitions {CAMUNDA}", 1)
    xml = xml.replace('calledElement="uji_dipanggil"', f'calledElement="uji_dipanggil" {binding}')
    return xml.replace('id="uji_pemanggil"', f'id="{pid}"').encode()


def deploy_two_called_versions(engine) -> None:
    deploy(engine, "called.bpmn")
    later = (DIAGRAMS / "called.bpmn").read_text().replace("lembar * 2000", "lembar * 3000")
    [second] = deploy(engine, "called.bpmn", later.encode())
    assert second.version == 2


def cost_after_the_call(engine, process_id: str) -> int:
    instance = engine.start(process_id, {"lembar": 3}, user="kasi")
    forget(engine)
    [task] = open_tasks(engine, instance.id, "setujui")
    cost = engine.task(task.id).data["biaya"]
    assert complete(engine, instance.id, "setujui", "kasi").status == "completed"
    return cost


def test_a_call_runs_the_latest_version_or_the_pinned_one(engine):
    deploy_two_called_versions(engine)
    deploy(engine, "caller.bpmn", caller())
    pinned = 'camunda:calledElementBinding="version" camunda:calledElementVersion="1"'
    deploy(engine, "caller_pinned.bpmn", caller(pinned, "uji_pemanggil_v1"))
    assert cost_after_the_call(engine, "uji_pemanggil") == 9000
    assert cost_after_the_call(engine, "uji_pemanggil_v1") == 6000


@pytest.mark.parametrize(
    ("binding", "words"),
    [
        (
            'camunda:calledElementBinding="version" camunda:calledElementVersion="9"',
            "memanggil proses 'uji_dipanggil' versi 9 yang belum diterapkan",
        ),
        (
            'camunda:calledElementBinding="version" camunda:calledElementVersion="satu"',
            "calledElementVersion 'satu' bukan nomor versi",
        ),
        (
            'camunda:calledElementBinding="versionTag"',
            "calledElementBinding 'versionTag' yang tidak didukung",
        ),
    ],
)
def test_a_pin_that_cannot_be_kept_is_refused_naming_the_call(engine, binding, words):
    deploy_two_called_versions(engine)
    with pytest.raises(DiagramInvalid) as refused:
        deploy(engine, "caller.bpmn", caller(binding))
    [issue] = refused.value.issues
    assert issue.element_id == "panggil" and issue.line == 6
    assert issue.message.startswith("pemanggilan proses 'Hitung biaya' (panggil) ")
    assert words in issue.message


MUTUAL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="proses_a" isExecutable="true">
    <bpmn:startEvent id="a0"><bpmn:outgoing>a1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="panggil_b" name="Panggil B" calledElement="proses_b"><bpmn:incoming>a1</bpmn:incoming><bpmn:outgoing>a2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:endEvent id="a3"><bpmn:incoming>a2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a1" sourceRef="a0" targetRef="panggil_b" /><bpmn:sequenceFlow id="a2" sourceRef="panggil_b" targetRef="a3" />
  </bpmn:process>
  <bpmn:process id="proses_b" isExecutable="true">
    <bpmn:startEvent id="b0"><bpmn:outgoing>b1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="panggil_a" name="Panggil A" calledElement="proses_a"><bpmn:incoming>b1</bpmn:incoming><bpmn:outgoing>b2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:endEvent id="b3"><bpmn:incoming>b2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="b1" sourceRef="b0" targetRef="panggil_a" /><bpmn:sequenceFlow id="b2" sourceRef="panggil_a" targetRef="b3" />
  </bpmn:process>
</bpmn:definitions>"""


def test_two_processes_calling_each_other_are_refused_at_deploy(engine):
    with pytest.raises(DiagramInvalid) as refused:
        deploy(engine, "saling.bpmn", MUTUAL.encode())
    lines = {(i.element_id, i.line) for i in refused.value.issues}
    assert lines == {("panggil_b", 5), ("panggil_a", 11)}
    assert all("memanggil proses ini lagi" in i.message for i in refused.value.issues)
