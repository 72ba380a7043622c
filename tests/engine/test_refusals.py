"""What cannot run is refused at deploy: one Indonesian line naming the element, its line, the fix."""

import re
from pathlib import Path

import pytest

from engine.errors import DiagramInvalid
from engine.file_checks import MAX_DIAGRAM_BYTES, MAX_FLOW_NODES
from tests.conftest import SHARED
from tests.engine.diagram_tools import DIAGRAMS

MIWG = sorted((SHARED / "conformance" / "miwg-reference").glob("*.bpmn"))
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="t">\n'
)
#: what a refusal must never show: a Python repr, an exception class, the library's cut-off text
LEAKS = re.compile(r"<\w+.* at 0x|\w+(Error|Exception)\(|Traceback|for tasks of type\s*$")


def refused(engine, xml: str) -> list:
    with pytest.raises(DiagramInvalid) as info:
        engine.deploy(xml.encode(), "uji.bpmn")
    for issue in info.value.issues:
        assert not LEAKS.search(issue.message), issue.message
        assert "\n" not in issue.message
    return info.value.issues


def chain(n: int, kind: str = "scriptTask", pid: str = "rantai") -> str:
    nodes = ['<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>']
    flows, previous = [], "s"
    for k in range(n):
        body = "<bpmn:script>x = 1</bpmn:script>" if kind == "scriptTask" else ""
        nodes.append(
            f'<bpmn:{kind} id="t{k}"><bpmn:incoming>f{k}</bpmn:incoming>'
            f"<bpmn:outgoing>f{k + 1}</bpmn:outgoing>{body}</bpmn:{kind}>"
        )
        flows.append(f'<bpmn:sequenceFlow id="f{k}" sourceRef="{previous}" targetRef="t{k}"/>')
        previous = f"t{k}"
    nodes.append(f'<bpmn:endEvent id="e"><bpmn:incoming>f{n}</bpmn:incoming></bpmn:endEvent>')
    flows.append(f'<bpmn:sequenceFlow id="f{n}" sourceRef="{previous}" targetRef="e"/>')
    body = "".join(nodes + flows)
    return f'{HEAD}<bpmn:process id="{pid}" isExecutable="true">{body}</bpmn:process></bpmn:definitions>'


def test_a_long_chain_is_refused_by_the_documented_limit_not_a_recursion_error(engine):
    [issue] = refused(engine, chain(2_000))
    assert "paling banyak" in issue.message and str(MAX_FLOW_NODES) in issue.message
    [issue] = refused(engine, chain(10_000))
    assert "terlalu besar" in issue.message
    engine.deploy(chain(MAX_FLOW_NODES - 2, pid="rantai_batas").encode(), "batas.bpmn")
    assert engine.start("rantai_batas").status == "completed"


def test_a_file_over_the_byte_limit_is_refused(engine):
    padding = "<!--" + " " * MAX_DIAGRAM_BYTES + "-->"
    [issue] = refused(engine, chain(3).replace("<bpmn:process", padding + "<bpmn:process"))
    assert "terlalu besar" in issue.message


def test_a_doctype_is_refused(engine):
    xml = chain(2).replace("<bpmn:definitions", '<!DOCTYPE d [<!ENTITY x "y">]>\n<bpmn:definitions')
    [issue] = refused(engine, xml)
    assert "DOCTYPE" in issue.message


def test_an_extension_named_usertask_is_not_a_user_task(engine):
    xml = chain(1).replace(
        "<bpmn:incoming>f0</bpmn:incoming>",
        "<bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements>"
        "<bpmn:incoming>f0</bpmn:incoming>",
    )
    engine.deploy(xml.encode(), "zeebe.bpmn")


@pytest.mark.parametrize("kind", ["task", "manualTask", "userTask"])
def test_a_task_nobody_may_do_is_refused(engine, kind):
    [issue] = refused(engine, chain(1, kind).replace('id="t0"', 'id="t0" name="Serahkan"'))
    assert issue.element_id == "t0" and issue.line == 3
    assert "'Serahkan' (t0)" in issue.message and "lane" in issue.message


def test_a_call_activity_calling_its_own_process_is_refused(engine):
    xml = (
        (DIAGRAMS / "caller.bpmn")
        .read_text()
        .replace('calledElement="uji_dipanggil"', 'calledElement="uji_pemanggil"')
    )
    [issue] = refused(engine, xml)
    assert issue.element_id == "panggil" and "memanggil proses ini lagi" in issue.message


def test_two_outgoing_flows_from_a_task_are_refused_as_a_whole_sentence(engine):
    xml = chain(2).replace(
        '<bpmn:sequenceFlow id="f2"',
        '<bpmn:sequenceFlow id="extra" sourceRef="t0" targetRef="e"/><bpmn:sequenceFlow id="f2"',
    )
    [issue] = refused(engine, xml)
    assert issue.element_id == "t0" and "lebih dari satu aliran keluar" in issue.message


@pytest.mark.skipif(not MIWG, reason="../shared/conformance is not beside this checkout")
@pytest.mark.parametrize("path", MIWG, ids=lambda p: Path(p).name)
def test_miwg_reference_model_deploys_and_runs_or_is_refused_clearly(engine, path):
    try:
        results = engine.deploy(path.read_bytes(), path.name)
    except DiagramInvalid as exc:
        for issue in exc.issues:
            assert issue.message and not LEAKS.search(issue.message), issue.message
            assert issue.element_id and issue.line, str(issue)
            # the element is named in the sentence itself, and what to change follows it
            assert issue.element_id in issue.message, issue.message
            assert re.search(r"[:;] \S", issue.message), issue.message
        return
    for result in results:
        assert engine.start(result.process_id, {}, user="admin").status in ("running", "completed")


@pytest.mark.parametrize(
    "xml",
    [
        chain(2).replace('sourceRef="t1" targetRef="e"', 'sourceRef="t1" targetRef="t0"'),
        chain(2, "userTask").replace(
            'sourceRef="t1" targetRef="e"', 'sourceRef="t1" targetRef="t0"'
        ),
        chain(1).replace('sourceRef="s" targetRef="t0"', 'sourceRef="s" targetRef="s"'),
    ],
    ids=["scripts", "user-tasks", "start-to-itself"],
)
def test_a_loop_of_flows_without_a_way_out_is_refused_not_a_recursion_error(engine, xml):
    """Such a loop made ``start`` raise RecursionError (SpiffWorkflow predicts along it forever)."""
    issues = refused(engine, xml.replace('id="t0"', 'id="t0" name="Hitung"'))
    loop = [i for i in issues if "putaran" in i.message]
    assert loop and loop[0].element_id in ("t0", "t1", "s") and loop[0].line == 3
    assert "gerbang eksklusif" in loop[0].message


def test_a_rework_loop_through_a_gateway_still_deploys(engine):
    xml = (
        chain(2)
        .replace(
            '<bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="e"/>',
            '<bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="g"/>'
            '<bpmn:sequenceFlow id="back" sourceRef="g" targetRef="t0">'
            "<bpmn:conditionExpression>x == 2</bpmn:conditionExpression></bpmn:sequenceFlow>"
            '<bpmn:sequenceFlow id="out" sourceRef="g" targetRef="e"/>',
        )
        .replace(
            '<bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming>',
            '<bpmn:exclusiveGateway id="g" default="out"><bpmn:incoming>f2</bpmn:incoming>'
            "<bpmn:outgoing>back</bpmn:outgoing><bpmn:outgoing>out</bpmn:outgoing>"
            '</bpmn:exclusiveGateway><bpmn:endEvent id="e"><bpmn:incoming>out</bpmn:incoming>',
        )
    )
    engine.deploy(xml.encode(), "ulang.bpmn")
    assert engine.start("rantai").status == "completed"
