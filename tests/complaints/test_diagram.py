"""The complaint diagram: forms that match the vocabulary, deadlines on every step, a drawing bpmn-js can show."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from complaints import catalog
from engine.validation import validate_diagram
from reports.bpmn_sop import parse_sop
from tests.complaints.conftest import DIAGRAM
from web.composition import registration

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
ENUMS = {
    "hasil_verifikasi": catalog.VERIFICATION_RESULTS,
    "kategori": catalog.CATEGORIES,
    "unit_terlapor": catalog.UNITS,
    "unit_penanganan": catalog.UNITS,
    "klasifikasi": catalog.WEIGHTS,
    "cara_penanganan": catalog.HANDLING,
    "kepuasan": catalog.SATISFACTION,
}
FLOW_NODES = (
    "startEvent",
    "endEvent",
    "userTask",
    "serviceTask",
    "exclusiveGateway",
    "boundaryEvent",
    "businessRuleTask",
    "eventBasedGateway",
    "intermediateCatchEvent",
)
DECISIONS = DIAGRAM.with_name("klasifikasi_pengaduan.dmn")
DMN = {"dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/"}


@pytest.fixture(scope="module")
def tree():
    return etree.parse(str(DIAGRAM))


def properties(element) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in element.findall(".//camunda:property", NS)}


def test_the_engine_accepts_the_diagram():
    parsed, issues = validate_diagram(
        DIAGRAM.read_bytes(),
        DIAGRAM.name,
        topics=registration().topics(),
        decisions=[(DECISIONS.name, DECISIONS.read_bytes())],
    )
    assert issues == []
    assert parsed.process_ids == ["pengaduan_layanan"]
    assert list(parsed.decisions_of("pengaduan_layanan")) == ["saran_klasifikasi"]


def test_the_decision_table_speaks_the_vocabulary():
    """Every output of the suggestion table is a weight or a unit the form offers; every
    category or channel it names exists."""
    table = etree.parse(str(DECISIONS))
    words = {
        "keluaran_bobot": set(catalog.WEIGHTS),
        "keluaran_unit": set(catalog.UNITS) | {"unit_terlapor"},
    }
    outputs = [o.get("id") for o in table.xpath("//dmn:output", namespaces=DMN)]
    for rule in table.xpath("//dmn:rule", namespaces=DMN):
        cells = rule.xpath("dmn:outputEntry/dmn:text/text()", namespaces=DMN)
        for output, text in zip(outputs, cells, strict=True):
            assert text.strip('"') in words[output], (rule.get("id"), text)
        for text in rule.xpath("dmn:inputEntry/dmn:text/text()", namespaces=DMN):
            for code in re.findall(r'"([a-z_]+)"', text):
                assert code in catalog.CATEGORIES or code in catalog.CHANNELS, code
    last = table.xpath("//dmn:rule", namespaces=DMN)[-1]
    assert set(last.xpath("dmn:inputEntry/dmn:text/text()", namespaces=DMN)) == {"-"}


@pytest.mark.parametrize("field_id", sorted(ENUMS))
def test_form_choices_match_the_vocabulary(tree, field_id):
    fields = tree.xpath(f"//camunda:formField[@id='{field_id}']", namespaces=NS)
    assert fields
    for field in fields:
        options = {v.get("id"): v.get("name") for v in field.findall("camunda:value", NS)}
        assert options == ENUMS[field_id]


def test_every_step_has_an_effort_standard_and_a_deadline_watched_by_a_timer(tree):
    timers = {b.get("attachedToRef"): b for b in tree.xpath("//bpmn:boundaryEvent", namespaces=NS)}
    for task in tree.xpath("//bpmn:userTask", namespaces=NS):
        props = properties(task)
        assert int(props["standard_minutes"]) > 0, task.get("id")
        assert props["deadline_from"] in ("waktu_diterima", "diteruskan_pada", "ditanggapi_pada"), (
            task.get("id")
        )
        assert ("deadline_working_days" in props) != ("deadline_days" in props), task.get("id")
        timer = timers[task.get("id")]
        expression = timer.find(".//bpmn:timeDate", NS).text
        assert props["deadline_from"] in expression


def test_leadership_steps_name_both_leaders(tree):
    for task in tree.xpath("//bpmn:lane[@name='Pimpinan']/bpmn:flowNodeRef/text()", namespaces=NS):
        element = tree.xpath(f"//bpmn:*[@id='{task}']", namespaces=NS)[0]
        if etree.QName(element).localname == "userTask":
            assert (
                element.get("{http://camunda.org/schema/1.0/bpmn}candidateGroups")
                == "kabid_piak,kepala_dinas"
            )


def test_every_element_is_drawn_inside_its_lane_and_every_flow_has_waypoints(tree):
    shapes = {
        s.get("bpmnElement"): s.find("dc:Bounds", NS)
        for s in tree.xpath("//bpmndi:BPMNShape", namespaces=NS)
    }
    edges = {
        e.get("bpmnElement"): e.findall("di:waypoint", NS)
        for e in tree.xpath("//bpmndi:BPMNEdge", namespaces=NS)
    }
    for lane in tree.xpath("//bpmn:lane", namespaces=NS):
        top = float(shapes[lane.get("id")].get("y"))
        bottom = top + float(shapes[lane.get("id")].get("height"))
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            bounds = shapes[ref.text]
            middle = float(bounds.get("y")) + float(bounds.get("height")) / 2
            assert top <= middle <= bottom, ref.text
    nodes = [
        el.get("id") for kind in FLOW_NODES for el in tree.xpath(f"//bpmn:{kind}", namespaces=NS)
    ]
    assert set(nodes) <= set(shapes)
    for flow in tree.xpath("//bpmn:sequenceFlow", namespaces=NS):
        assert len(edges[flow.get("id")]) >= 2, flow.get("id")


def test_the_sop_document_can_be_read_from_the_diagram():
    sop = parse_sop(DIAGRAM.read_bytes())
    assert sop.roles == ["Petugas Pengaduan", "Unit Layanan", "Pimpinan"]
    assert {step.element_id for step in sop.steps} >= {
        "verifikasi_pengaduan",
        "penyelesaian_unit",
        "rapat_pembahasan",
        "konfirmasi_pengadu",
    }
