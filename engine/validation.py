"""Checking a diagram before it is deployed: XML, XSD, SpiffWorkflow's parse, and the rest.

SpiffWorkflow checks the schema and much of the structure but not: Python syntax
of conditions, scripts and timer expressions; tasks with no outgoing flow;
unknown service topics; user tasks nobody may do. Those are checked here. Every
issue names the element and, where it can be found, the line.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from .errors import DiagramIssue
from .parser import CAMUNDA, LaksanaParser, role_code, safe_xml_parser
from .scripting import check_syntax

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA.strip("{}")}
#: Elements that must have an outgoing sequence flow to be executable.
NEEDS_OUTGOING = (
    "startEvent",
    "task",
    "userTask",
    "serviceTask",
    "scriptTask",
    "manualTask",
    "businessRuleTask",
    "sendTask",
    "receiveTask",
    "callActivity",
    "subProcess",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
)
_validator: BpmnValidator | None = None


def _xsd() -> BpmnValidator:
    global _validator
    if _validator is None:
        _validator = BpmnValidator()
    return _validator


@dataclass
class ParsedDiagram:
    """A diagram that passed validation: its parser (specs ready) and executable process ids."""

    parser: LaksanaParser
    process_ids: list[str]
    names: dict[str, str]
    encoding: str | None = None


def _line_of(tree, element_id: str | None) -> int | None:
    if not element_id:
        return None
    found = tree.xpath("//*[@id=$id]", id=element_id)
    return found[0].sourceline if found else None


def _local(el) -> str:
    return etree.QName(el).localname


def _semantic_issues(root, filename: str, topics: Collection[str]) -> list[DiagramIssue]:
    issues: list[DiagramIssue] = []

    def add(el, message):
        issues.append(DiagramIssue(message, el.get("id"), el.sourceline, filename))

    for process in root.iter(f"{{{BPMN_NS}}}process"):
        if process.get("isExecutable", "false") != "true":
            continue
        ids = {el.get("id") for el in process.iter() if el.get("id")}
        outgoing = {f.get("sourceRef") for f in process.iter(f"{{{BPMN_NS}}}sequenceFlow")}
        lane_of = {}
        for lane in process.iter(f"{{{BPMN_NS}}}lane"):
            for ref in lane.findall(f"{{{BPMN_NS}}}flowNodeRef"):
                lane_of[(ref.text or "").strip()] = lane.get("name")
        for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
            for end in ("sourceRef", "targetRef"):
                if flow.get(end) not in ids:
                    add(
                        flow,
                        f"sequence flow {end} '{flow.get(end)}' names no element of the process",
                    )
            cond = flow.find(f"{{{BPMN_NS}}}conditionExpression")
            if cond is not None and (cond.text or "").strip():
                problem = check_syntax(cond.text, "eval")
                if problem:
                    add(flow, f"condition is not a valid Python expression: {problem}")
        for el in process.iter():
            if not isinstance(el.tag, str):
                continue
            kind = _local(el)
            parent_is_process = el.getparent() is process
            if kind in NEEDS_OUTGOING and parent_is_process and el.get("id") not in outgoing:
                add(el, f"{kind} '{el.get('name') or el.get('id')}' has no outgoing sequence flow")
            if kind == "scriptTask":
                script = el.find(f"{{{BPMN_NS}}}script")
                problem = (
                    check_syntax(script.text or "", "exec") if script is not None else "no script"
                )
                if problem:
                    add(el, f"script is not valid Python: {problem}")
            if kind in ("timeDuration", "timeDate", "timeCycle"):
                problem = check_syntax(el.text or "", "eval")
                if problem:
                    add(
                        el.getparent().getparent(),
                        f"timer expression is not a valid Python expression "
                        f'(durations are quoted strings such as "PT5M"): {problem}',
                    )
            if kind == "serviceTask":
                topic = el.get(f"{CAMUNDA}topic")
                if el.get(f"{CAMUNDA}type") != "external" or not topic:
                    add(el, 'service task needs camunda:type="external" and a camunda:topic')
                elif topic not in topics:
                    add(el, f"unknown topic '{topic}' (known: {', '.join(sorted(topics))})")
            if kind == "userTask":
                groups = (el.get(f"{CAMUNDA}candidateGroups") or "").strip()
                if not groups and not role_code(lane_of.get(el.get("id"))):
                    add(
                        el,
                        f"user task '{el.get('name') or el.get('id')}' has no role: put it in a named lane "
                        "or give it camunda:candidateGroups",
                    )
    return issues


def validate_diagram(
    xml: bytes | str, filename: str = "diagram.bpmn", topics: Collection[str] = ()
) -> tuple[ParsedDiagram | None, list[DiagramIssue]]:
    """Parse and check a diagram; returns (parsed, []) or (None, issues).

    ``topics`` are the service topics with a registered handler (the composition root's); a
    service task naming any other topic is an issue.
    """
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    try:
        root = etree.fromstring(xml, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        return None, [DiagramIssue(f"XML is not well-formed: {exc.msg}", None, line, filename)]
    if root is None or _local(root) != "definitions" or etree.QName(root).namespace != BPMN_NS:
        return None, [
            DiagramIssue(
                "not a BPMN 2.0 file (root element must be bpmn:definitions)", None, 1, filename
            )
        ]
    tree = etree.ElementTree(root)
    try:
        _xsd().validate(tree, filename)
    except ValidationException as exc:
        return None, [
            DiagramIssue(
                f"does not match the BPMN 2.0 schema: {exc.args[0] if exc.args else exc}",
                exc.id or None,
                exc.line_number or None,
                filename,
            )
        ]
    issues = _semantic_issues(root, filename, topics)
    if not root.xpath("//bpmn:process[@isExecutable='true']", namespaces=NS):
        processes = root.xpath("//bpmn:process", namespaces=NS)
        if not processes:
            issues.append(
                DiagramIssue(
                    "no process in the diagram (only a collaboration or choreography)",
                    None,
                    1,
                    filename,
                )
            )
        for process in processes:
            issues.append(
                DiagramIssue(
                    f"process '{process.get('name') or process.get('id')}' is not executable: "
                    'set isExecutable="true" to run it',
                    process.get("id"),
                    process.sourceline,
                    filename,
                )
            )
    if issues:
        return None, issues
    parser = LaksanaParser()
    try:
        parser.add_bpmn_xml(tree, filename=filename)
        process_ids = parser.get_process_ids()
        for pid in process_ids:
            parser.get_spec(pid)
            parser.get_subprocess_specs(pid)
    except ValidationException as exc:
        element = exc.id or None
        message = str(exc.args[0]) if exc.args else str(exc)
        if (
            "we found two items" in message.lower()
            or "perhaps a form has the same" in message.lower()
        ):
            message = "a sequence flow or reference points to an element that does not exist"
        return None, [
            DiagramIssue(message, element, exc.line_number or _line_of(tree, element), filename)
        ]
    except Exception as exc:  # the parser raises plain errors on some unsupported constructs
        return None, [
            DiagramIssue(
                f"unsupported construct: {exc.__class__.__name__}: {exc}", None, None, filename
            )
        ]
    names = {pid: parser.get_process_parser(pid).get_name() or pid for pid in process_ids}
    return ParsedDiagram(parser, process_ids, names, tree.docinfo.encoding), []
