"""Diagram expressions run restricted: the known escape fails."""

import pytest

from engine.errors import DiagramInvalid
from engine.scripting import RestrictedEnvironment

ESCAPE = (
    "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'catch_warnings'][0]"
    "()._module.__builtins__['__import__']('os').system('echo pwned')"
)

SCRIPT_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="escape" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="evil"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>x = SCRIPT</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="evil" />
    <bpmn:sequenceFlow id="f2" sourceRef="evil" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""


def test_escape_through_subclasses_is_refused_at_deploy(engine):
    xml = SCRIPT_DIAGRAM.replace("SCRIPT", ESCAPE.replace("'", "&apos;"))
    with pytest.raises(DiagramInvalid) as info:
        engine.deploy(xml.encode(), "escape.bpmn")
    assert info.value.issues[0].element_id == "evil"
    assert "bukan Python yang sah" in info.value.issues[0].message


def test_escape_fails_at_run_time_too():
    env = RestrictedEnvironment()
    with pytest.raises(SyntaxError):
        env.evaluate(ESCAPE, {})
    with pytest.raises(SyntaxError, match='starts with "_"'):
        env.evaluate("__import__('os')", {})
    with pytest.raises(NameError):
        env.evaluate("open('/etc/passwd').read()", {})


def test_harmless_expressions_and_scripts_work():
    env = RestrictedEnvironment()
    assert env.evaluate(
        'status == "tolak" and len(items) > 1', {"status": "tolak", "items": [1, 2]}
    )
    data = {"a": 2}
    env.execute("b = a * 21\nc = sorted([3, 1, 2])", data)
    assert data == {"a": 2, "b": 42, "c": [1, 2, 3]}


def test_safe_script_diagram_runs(engine):
    xml = SCRIPT_DIAGRAM.replace("SCRIPT", "40 + 2").replace('id="escape"', 'id="hitung"')
    engine.deploy(xml.encode(), "hitung.bpmn")
    instance = engine.start("hitung")
    assert instance.status == "completed"
    assert engine.instance_data(instance.id)["x"] == 42
