"""Reading the SOP out of a BPMN diagram (Camunda 7 flavour), safely.

The SOP steps are the user tasks that carry ``camunda:properties``
``standard_minutes`` (with ``inputs`` and ``output``), in flow order: a
depth-first walk from the start event that takes each gateway's default flow
first. The role of a step is its lane. The process's own properties give the
header (``sop_number``, ``sop_date``, ``revision_date``, ``effective_date``,
``approver``, ``approver_name``, ``approver_nip``, ``legal_basis``,
``qualifications``, ``related``, ``equipment``, ``warnings``, ``recording``,
``requirements``, ``cost``, ``product``; lists separated by ``;``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}
GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "eventBasedGateway"}


class SopParseError(ValueError):
    """The file is not a BPMN diagram this module can read as an SOP."""


@dataclass
class Branch:
    label: str
    target_step: int | None
    description: str


@dataclass
class SopStep:
    number: int
    element_id: str
    name: str
    role: str
    minutes: float
    inputs: str = ""
    output: str = ""
    symbol: str = "process"  # start | process | decision | end
    branches: list[Branch] = field(default_factory=list)
    forward_label: str = ""


@dataclass
class SopModel:
    process_id: str
    name: str
    roles: list[str]
    steps: list[SopStep]
    properties: dict[str, str]
    documentation: str = ""

    @property
    def total_minutes(self) -> float:
        return sum(step.minutes for step in self.steps)

    def listed(self, key: str) -> list[str]:
        return [
            part.strip()
            for part in self.properties.get(key, "").replace("\n", ";").split(";")
            if part.strip()
        ]


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _local(element) -> str:
    return etree.QName(element).localname


def _properties(element) -> dict[str, str]:
    found = element.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)
    return {p.get("name"): p.get("value", "") for p in found if p.get("name")}


def _pick_process(root):
    processes = root.findall("bpmn:process", NS)
    if not processes:
        raise SopParseError("no bpmn:process in the file")
    return next((p for p in processes if p.find("bpmn:laneSet", NS) is not None), processes[0])


class _Graph:
    def __init__(self, process):
        self.nodes = {
            el.get("id"): el
            for el in process
            if el.get("id") and _local(el) not in ("sequenceFlow",)
        }
        self.outgoing: dict[str, list[tuple[str, str, str]]] = {}
        incoming: set[str] = set()
        for flow in process.findall("bpmn:sequenceFlow", NS):
            source, target = flow.get("sourceRef"), flow.get("targetRef")
            self.outgoing.setdefault(source, []).append(
                (flow.get("id"), target, flow.get("name") or "")
            )
            incoming.add(target)
        self.starts = [
            i for i, el in self.nodes.items() if _local(el) == "startEvent" and i not in incoming
        ]

    def ordered_outgoing(self, node_id: str) -> list[tuple[str, str, str]]:
        flows = self.outgoing.get(node_id, [])
        default = self.nodes[node_id].get("default") if node_id in self.nodes else None
        return sorted(flows, key=lambda f: f[0] != default)

    def flow_order(self) -> list[str]:
        seen: list[str] = []
        stack = list(reversed(self.starts))
        while stack:
            node = stack.pop()
            if node in seen or node not in self.nodes:
                continue
            seen.append(node)
            stack += [target for _f, target, _n in reversed(self.ordered_outgoing(node))]
        return seen


def _lanes(process) -> tuple[list[str], dict[str, str]]:
    order: list[str] = []
    lane_of: dict[str, str] = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        refs = lane.findall("bpmn:flowNodeRef", NS)
        if not refs:
            continue
        name = lane.get("name") or lane.get("id")
        order.append(name)
        for ref in refs:
            lane_of[(ref.text or "").strip()] = name
    return order, lane_of


def _step_ids(graph: _Graph) -> list[str]:
    return [
        node
        for node in graph.flow_order()
        if _local(graph.nodes[node]) == "userTask"
        and "standard_minutes" in _properties(graph.nodes[node])
    ]


def _first_step_after(
    graph: _Graph, start: str, numbers: dict[str, int]
) -> tuple[int | None, list[str]]:
    """The first SOP step reached from ``start`` (breadth first) and the names passed on the way."""
    queue, seen, passed = deque([start]), set(), []
    while queue:
        node = queue.popleft()
        if node in seen or node not in graph.nodes:
            continue
        seen.add(node)
        if node in numbers:
            return numbers[node], passed
        name = graph.nodes[node].get("name")
        if name and _local(graph.nodes[node]) not in GATEWAYS:
            passed.append(name)
        queue.extend(target for _f, target, _n in graph.ordered_outgoing(node))
    return None, passed


def _decide(step: SopStep, graph: _Graph, numbers: dict[str, int], step_count: int) -> None:
    nexts = graph.ordered_outgoing(step.element_id)
    if (
        len(nexts) != 1
        or _local(graph.nodes.get(nexts[0][1], graph.nodes[step.element_id])) not in GATEWAYS
    ):
        return
    gateway = nexts[0][1]
    flows = graph.ordered_outgoing(gateway)
    if len(flows) < 2:
        return
    step.symbol = "decision"
    for _flow, target, label in flows:
        number, passed = _first_step_after(graph, target, numbers)
        if number == step.number + 1 or (
            number is None and step.number == step_count and not passed
        ):
            step.forward_label = label or "Ya"
            continue
        description = (
            f"kembali ke langkah {number}"
            if number
            else (f"{passed[0].lower()}, proses selesai" if passed else "proses selesai")
        )
        step.branches.append(Branch(label or "Tidak", number, description))


def parse_sop(xml: bytes | str) -> SopModel:
    """The SOP read from BPMN XML (entities and network access off)."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise SopParseError(f"not well-formed XML: {exc}") from exc
    if _local(root) != "definitions" or etree.QName(root).namespace != BPMN:
        raise SopParseError("not a BPMN 2.0 definitions document")
    process = _pick_process(root)
    graph = _Graph(process)
    lane_order, lane_of = _lanes(process)
    ids = _step_ids(graph)
    numbers = {element: index for index, element in enumerate(ids, start=1)}
    steps = []
    for element in ids:
        props = _properties(graph.nodes[element])
        try:
            minutes = float(props["standard_minutes"])
        except ValueError as exc:
            raise SopParseError(f"{element}: standard_minutes is not a number") from exc
        steps.append(
            SopStep(
                numbers[element],
                element,
                graph.nodes[element].get("name") or element,
                lane_of.get(element, "-"),
                minutes,
                props.get("inputs", ""),
                props.get("output", ""),
            )
        )
    for step in steps:
        _decide(step, graph, numbers, len(steps))
    if steps:
        if steps[0].symbol == "process":
            steps[0].symbol = "start"
        if steps[-1].symbol == "process":
            steps[-1].symbol = "end"
    roles = [lane for lane in lane_order if any(s.role == lane for s in steps)]
    roles += sorted({s.role for s in steps} - set(roles))
    doc = process.find("bpmn:documentation", NS)
    return SopModel(
        process.get("id") or "",
        process.get("name") or process.get("id") or "",
        roles,
        steps,
        _properties(process),
        (doc.text or "").strip() if doc is not None else "",
    )


def boundary_branch_elements(xml: bytes | str) -> set[str]:
    """Ids of the elements on paths started by boundary events (escalations): side work, not progress."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    process = _pick_process(etree.fromstring(data, parser=safe_parser()))
    graph = _Graph(process)
    found: set[str] = set()
    queue = deque(i for i, el in graph.nodes.items() if _local(el) == "boundaryEvent")
    while queue:
        node = queue.popleft()
        if node in found:
            continue
        found.add(node)
        queue.extend(target for _f, target, _n in graph.ordered_outgoing(node))
    return found
