"""A call bound to the latest version can close a loop by a later deploy: A calls B (latest),
then B's new version calls A. Deploying B again must not let an instance call itself forever."""

from __future__ import annotations

import pytest

from engine.errors import DiagramInvalid
from tests.engine.diagram_tools import deploy

B_CALLS_A = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d2" targetNamespace="http://laksana/uji">
  <bpmn:process id="uji_dipanggil" name="Hitung biaya (dipanggil)" isExecutable="true">
    <bpmn:startEvent id="mulai"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="panggil_balik" name="Panggil pemanggil" calledElement="uji_pemanggil"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:endEvent id="selesai"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="panggil_balik" />
    <bpmn:sequenceFlow id="f2" sourceRef="panggil_balik" targetRef="selesai" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_new_version_that_would_close_a_call_loop_is_refused_at_deploy(engine):
    deploy(engine, "called.bpmn")
    deploy(engine, "caller.bpmn")  # uji_pemanggil calls uji_dipanggil, resolved at run time
    with pytest.raises(DiagramInvalid) as refused:
        deploy(engine, "called.bpmn", B_CALLS_A.encode())
    [issue] = refused.value.issues
    assert issue.element_id == "panggil_balik" and "memanggil proses ini lagi" in issue.message
    called = [d.version for d in engine.list_definitions() if d.process_id == "uji_dipanggil"]
    assert called == [1]  # nothing deployed
    instance = engine.start("uji_pemanggil", {"lembar": 1}, user="kasi")
    assert instance.current_tasks == ["setujui"]  # the call ran version 1 and returned
