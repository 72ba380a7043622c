"""Validation messages name the element by its name first (id and line as detail), in Indonesian;
a timer left at an old standard time is a warning naming the step."""

from __future__ import annotations

import pytest

from engine.errors import DiagramInvalid
from engine.standard_time import standard_time_warnings
from engine.validation import validate_diagram
from tests.conftest import PROCESSES

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="t">\n'
)
SOP = (PROCESSES / "permohonan_data_agregat.bpmn").read_text(encoding="utf-8")


def _process(task: str, timer: str = "") -> str:
    return (
        f'{HEAD}<bpmn:process id="uji" isExecutable="true">\n'
        '<bpmn:laneSet id="ls"><bpmn:lane id="l" name="Kasi"><bpmn:flowNodeRef>mulai</bpmn:flowNodeRef>'
        "<bpmn:flowNodeRef>periksa</bpmn:flowNodeRef><bpmn:flowNodeRef>selesai</bpmn:flowNodeRef>"
        "</bpmn:lane></bpmn:laneSet>\n"
        '<bpmn:startEvent id="mulai" name="Mulai"/>\n'
        f"{task}\n"
        f"{timer}\n"
        '<bpmn:endEvent id="selesai" name="Selesai"/>\n'
        '<bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="periksa"/>\n'
        '<bpmn:sequenceFlow id="f2" sourceRef="periksa" targetRef="selesai"/>\n'
        "</bpmn:process></bpmn:definitions>\n"
    )


def _task(minutes: int, name: str = "Memeriksa berkas") -> str:
    return (
        f'<bpmn:userTask id="periksa" name="{name}"><bpmn:extensionElements><camunda:properties>'
        f'<camunda:property name="standard_minutes" value="{minutes}"/></camunda:properties>'
        "</bpmn:extensionElements></bpmn:userTask>"
    )


def _timer(expression: str, name: str = "Lewat 5 menit") -> str:
    return (
        f'<bpmn:boundaryEvent id="tenggat" name="{name}" cancelActivity="false" '
        'attachedToRef="periksa"><bpmn:timerEventDefinition><bpmn:timeDate '
        f'xsi:type="bpmn:tFormalExpression">{expression}</bpmn:timeDate>'
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    )


def test_a_timer_differing_from_the_standard_time_is_a_warning_naming_both_by_name():
    xml = _process(_task(7), _timer("office_minutes_from_now(5)"))
    [warning] = standard_time_warnings(xml, "uji.bpmn")
    assert warning.message.startswith("waktu baku tugas pengguna 'Memeriksa berkas' (periksa) 7")
    assert "event batas 'Lewat 5 menit' (tenggat) berbunyi setelah 5 menit" in warning.message
    assert (warning.element_id, warning.filename) == ("tenggat", "uji.bpmn")
    assert warning.line == xml.splitlines().index(_timer("office_minutes_from_now(5)")) + 1


@pytest.mark.parametrize(
    "expression", ["office_minutes_from_now(7)", '"PT7M"', "working_days_deadline(x, 3)"]
)
def test_no_warning_when_the_timer_follows_or_counts_something_else(expression):
    assert standard_time_warnings(_process(_task(7), _timer(expression)), "uji.bpmn") == []


def test_an_iso_duration_in_minutes_is_compared_too():
    [warning] = standard_time_warnings(_process(_task(7), _timer('"PT5M"')), "uji.bpmn")
    assert "setelah 5 menit" in warning.message


def test_the_shipped_diagrams_have_their_timers_at_their_standard_times():
    for path in PROCESSES.glob("*.bpmn"):
        assert standard_time_warnings(path.read_bytes(), path.name) == [], path.name


def test_a_refusal_names_the_element_by_its_name_and_gives_id_and_line_as_detail(engine):
    xml = _process(
        _task(5)
        .replace('<bpmn:userTask id="periksa"', '<bpmn:serviceTask id="periksa"')
        .replace("</bpmn:userTask>", "</bpmn:serviceTask>")
    )
    with pytest.raises(DiagramInvalid) as info:
        engine.deploy(xml.encode(), "uji.bpmn")
    [issue] = info.value.issues
    assert issue.message.startswith("tugas layanan 'Memeriksa berkas' (periksa) perlu")
    text = str(issue)
    assert text.startswith("tugas layanan 'Memeriksa berkas'")
    assert text.endswith(f"(uji.bpmn:{issue.line}, elemen periksa)")


def test_an_element_without_a_name_is_said_to_have_none():
    xml = (
        _process('<bpmn:userTask id="Activity_0x1ab"/>')
        .replace('targetRef="periksa"', 'targetRef="Activity_0x1ab"')
        .replace('sourceRef="periksa"', 'sourceRef="Activity_0x1ab"')
        .replace("<bpmn:flowNodeRef>periksa</bpmn:flowNodeRef>", "")
    )
    _parsed, issues = validate_diagram(xml, "uji.bpmn")
    [issue] = issues
    assert "tugas pengguna tanpa nama (Activity_0x1ab)" in issue.message


def test_a_condition_names_the_form_field_by_its_label():
    broken = SOP.replace('config="kadin_keputusan=tolak"', 'config="keputusan=tolak"', 1)
    _parsed, issues = validate_diagram(broken, "sop.bpmn")  # (no topics: service tasks too)
    issue = next(i for i in issues if "required_if" in i.message)
    assert "isian 'Alasan penolakan" in issue.message
    assert "(kadin_alasan_penolakan)" in issue.message
    assert "tugas pengguna 'Menerima surat dan mendisposisikan kepada Kabid PIAK'" in issue.message
