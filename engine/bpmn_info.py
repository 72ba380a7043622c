"""What the pages need to know about a deployed diagram: step names, kinds, standard minutes.

Deployed XML passed the engine's validation; it is still read with the engine's
safe parser (no entities, no network), and only once per process version.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from weakref import WeakKeyDictionary

from lxml import etree

from .parser import safe_xml_parser

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
STEP_KINDS = (
    "userTask",
    "serviceTask",
    "scriptTask",
    "task",
    "manualTask",
    "sendTask",
    "receiveTask",
    "businessRuleTask",
    "callActivity",
    "subProcess",
    "startEvent",
    "endEvent",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
)


@dataclass(frozen=True)
class ElementInfo:
    id: str
    name: str
    kind: str
    lane: str | None
    standard_minutes: float | None
    sop_step: str | None
    attached_to: str | None
    topic: str | None = None
    properties: tuple[tuple[str, str], ...] = ()

    def prop(self, name: str) -> str | None:
        return dict(self.properties).get(name)

    @property
    def human(self) -> bool:
        return self.kind == "userTask"


def _properties(element) -> dict[str, str]:
    found = {}
    for prop in element.iter(f"{CAMUNDA}property"):
        if prop.getparent().getparent().getparent() is element:
            found[prop.get("name")] = prop.get("value")
    return found


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


@lru_cache(maxsize=32)
def elements(xml: str) -> dict[str, ElementInfo]:
    """Element id -> info, for every flow node of every process in the diagram."""
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    lane_of = {}
    for lane in root.iter(f"{BPMN}lane"):
        for ref in lane.findall(f"{BPMN}flowNodeRef"):
            lane_of[(ref.text or "").strip()] = lane.get("name")
    found = {}
    for kind in STEP_KINDS:
        for element in root.iter(f"{BPMN}{kind}"):
            props = _properties(element)
            element_id = element.get("id")
            found[element_id] = ElementInfo(
                id=element_id,
                name=element.get("name") or element_id,
                kind=kind,
                lane=lane_of.get(element_id),
                standard_minutes=_number(props.get("standard_minutes")),
                sop_step=props.get("sop_step"),
                attached_to=element.get("attachedToRef"),
                topic=element.get(f"{CAMUNDA}topic"),
                properties=tuple(sorted(props.items())),
            )
    return found


@lru_cache(maxsize=32)
def side_branch(xml: str) -> frozenset[str]:
    """Elements reached from boundary events (escalation branches): not steps of the request."""
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    targets: dict[str, list[str]] = {}
    for flow in root.iter(f"{BPMN}sequenceFlow"):
        targets.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    side: set[str] = set()
    todo = [event.get("id") for event in root.iter(f"{BPMN}boundaryEvent")]
    while todo:
        current = todo.pop()
        if current in side:
            continue
        side.add(current)
        todo.extend(targets.get(current, []))
    return frozenset(side)


@lru_cache(maxsize=32)
def flow_order(xml: str) -> dict[str, int]:
    """Element id -> how many sequence flows from a start event its nearest path takes: the order
    in which a request meets the steps (the dashboard lists them so, with or without an SOP
    number). Elements no flow reaches are left out."""
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    targets: dict[str, list[str]] = {}
    for flow in root.iter(f"{BPMN}sequenceFlow"):
        targets.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    order: dict[str, int] = {}
    level = [event.get("id") for event in root.iter(f"{BPMN}startEvent")]
    depth = 0
    while level:
        fresh = [element for element in level if element not in order]
        order.update((element, depth) for element in fresh)
        level = [target for element in fresh for target in targets.get(element, [])]
        depth += 1
    return order


_DEPLOYED: WeakKeyDictionary = WeakKeyDictionary()


def deployed_xml(engine, process_id: str, version: int) -> str:
    """A deployed version's XML (versions never change once deployed, so it is kept per engine)."""
    cache = _DEPLOYED.setdefault(engine, {})
    key = (process_id, version)
    if key not in cache:
        cache[key] = engine.definition_xml(process_id, version)
    return cache[key]


def signed_document_keys(xml: str) -> set[str]:
    """Data keys of the documents the diagram's signing tasks (topic reports.sign) sign."""
    keys: set[str] = set()
    for info in elements(xml).values():
        if info.topic == "reports.sign":
            keys.update(k.strip() for k in (info.prop("documents") or "").split(",") if k.strip())
    return keys


@lru_cache(maxsize=32)
def process_properties(xml: str, process_id: str) -> dict[str, str]:
    """The ``camunda:properties`` of one process element (SOP header, title and summary fields)."""
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    for process in root.iter(f"{BPMN}process"):
        if process.get("id") == process_id:
            return _properties(process)
    return {}


def field_list(text: str | None) -> tuple[str, ...]:
    """A comma-separated list of task-data keys from a property (``"a, b"`` -> ``("a", "b")``)."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


@lru_cache(maxsize=32)
def enum_labels(xml: str) -> dict[str, dict[str, str]]:
    """The words for the codes of every enum form field in the diagram: field id -> {code: name}
    (what a page shows instead of a stored code; a later task's names add to an earlier one's)."""
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    labels: dict[str, dict[str, str]] = {}
    for form_field in root.iter(f"{CAMUNDA}formField"):
        if form_field.get("type") != "enum" or not form_field.get("id"):
            continue
        options = labels.setdefault(form_field.get("id", ""), {})
        for value in form_field.iter(f"{CAMUNDA}value"):
            if value.get("id") and value.get("name"):
                options.setdefault(value.get("id", ""), value.get("name", ""))
    return {key: options for key, options in labels.items() if options}
