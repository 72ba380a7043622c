"""The sequence-flow graph of a BPMN process, as the SOP paper reads it.

Two questions only: in which order do the steps come when the diagram does not
number them (a topological order: the default flow first, a join waits for
every branch that reaches it, loops back are ignored), and where does a step
lead (its exits: the next steps reached through automatic work and gateways,
with the label of each decision taken on the way). Paths started by boundary
events (escalations) are side work and not followed.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN}
#: gateways whose outgoing flows are a choice (a decision symbol), not a fork
DECISIONS = {"exclusiveGateway", "inclusiveGateway", "eventBasedGateway"}
GATEWAYS = DECISIONS | {"parallelGateway", "complexGateway"}
CATCH_EVENTS = {"intermediateCatchEvent", "receiveTask"}
#: how many (node, labels) states one step's search visits at most: many decisions in a row
#: between two steps multiply the ways, and the paper must come out all the same
MAX_WALK = 400


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


@dataclass(frozen=True)
class Flow:
    flow_id: str
    target: str
    name: str


@dataclass
class Route:
    """One way out of a node: the step or end reached and what was passed on the way."""

    target: str | None  # the element id of the step reached; None: the process ends there
    labels: list[str] = field(default_factory=list)  # names of the decision flows taken
    passed: list[str] = field(default_factory=list)  # names of the automatic work and events
    decided: bool = False  # a choice (exclusive, inclusive, event-based gateway) was passed


class FlowGraph:
    def __init__(self, process: etree._Element):
        self.nodes: dict[str, etree._Element] = {
            element.get("id"): element
            for element in process
            if isinstance(element.tag, str)  # comments and processing instructions are not nodes
            and element.get("id")
            and local_name(element) not in ("sequenceFlow", "laneSet")
        }
        self.outgoing: dict[str, list[Flow]] = {}
        incoming: set[str] = set()
        for flow in process.findall("bpmn:sequenceFlow", NS):
            source, target = flow.get("sourceRef") or "", flow.get("targetRef") or ""
            name = " ".join((flow.get("name") or "").split())
            self.outgoing.setdefault(source, []).append(Flow(flow.get("id") or "", target, name))
            incoming.add(target)
        self.starts = [
            node
            for node, element in self.nodes.items()
            if local_name(element) == "startEvent" and node not in incoming
        ]

    def kind(self, node: str) -> str:
        return local_name(self.nodes[node]) if node in self.nodes else ""

    def name(self, node: str) -> str:
        return " ".join((self.nodes[node].get("name") or "").split()) if node in self.nodes else ""

    def flows(self, node: str) -> list[Flow]:
        """The outgoing flows, the gateway's default first, then in document order."""
        default = self.nodes[node].get("default") if node in self.nodes else None
        return sorted(
            (f for f in self.outgoing.get(node, []) if f.target in self.nodes),
            key=lambda f: f.flow_id != default,
        )

    # -- order ---------------------------------------------------------------------------------
    def _depth_first(self) -> tuple[dict[str, int], set[tuple[str, str]]]:
        """Preorder positions (default flows first) and the edges that loop back."""
        position: dict[str, int] = {}
        back: set[tuple[str, str]] = set()
        on_path: set[str] = set()
        for start in self.starts:
            if start in position:
                continue
            position[start] = len(position)
            on_path.add(start)
            stack: list[tuple[str, Iterator[Flow]]] = [(start, iter(self.flows(start)))]
            while stack:
                node, pending = stack[-1]
                flow = next(pending, None)
                if flow is None:
                    on_path.discard(node)
                    stack.pop()
                elif flow.target in on_path:
                    back.add((node, flow.target))
                elif flow.target not in position:
                    position[flow.target] = len(position)
                    on_path.add(flow.target)
                    stack.append((flow.target, iter(self.flows(flow.target))))
        return position, back

    def topological_order(self) -> list[str]:
        """Every node reachable from a start event; a node only after all its forward inflows."""
        position, back = self._depth_first()
        waiting = dict.fromkeys(position, 0)
        for node in position:
            for flow in self.flows(node):
                if (node, flow.target) not in back and flow.target in waiting:
                    waiting[flow.target] += 1
        ready = [(position[node], node) for node, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        order: list[str] = []
        while ready:
            _position, node = heapq.heappop(ready)
            order.append(node)
            for flow in self.flows(node):
                if (node, flow.target) in back or flow.target not in waiting:
                    continue
                waiting[flow.target] -= 1
                if waiting[flow.target] == 0:
                    heapq.heappush(ready, (position[flow.target], flow.target))
        return order

    # -- exits ---------------------------------------------------------------------------------
    def routes(self, source: str, is_step: Callable[[str], bool]) -> list[Route]:
        """Where ``source`` leads: each step (or end) reached first, one route per distinct way."""
        search = _Search(is_step)
        self._walk(source, Route(None), {source}, search)
        unique: list[Route] = []
        for route in search.found:
            if not any(r.target == route.target and r.labels == route.labels for r in unique):
                unique.append(route)
        return unique

    def _walk(self, node: str, route: Route, on_path: set[str], search: _Search) -> None:
        flows = self.flows(node)
        if not flows:
            search.found.append(route)
            return
        choice = self.kind(node) in DECISIONS and len(flows) > 1
        for flow in flows:
            label = flow.name or (
                self.name(flow.target) if self.kind(flow.target) in CATCH_EVENTS else ""
            )
            labels = [*route.labels, label] if choice and label else route.labels
            # what is passed is told after the last choice: the work on the branch taken
            step = Route(None, labels, [] if choice else route.passed, route.decided or choice)
            if search.is_step(flow.target):
                step.target = flow.target
                search.found.append(step)
                continue
            key = (flow.target, tuple(labels), step.decided)
            if flow.target in on_path or key in search.walked or len(search.walked) > MAX_WALK:
                continue  # a loop without a step, a way already followed, or enough ways read
            search.walked.add(key)
            name = self.name(flow.target)
            if self.kind(flow.target) not in GATEWAYS and name and name not in labels:
                step.passed = [*step.passed, name]
            self._walk(flow.target, step, on_path | {flow.target}, search)


@dataclass
class _Search:
    """One search for a node's routes: what counts as a step, what was found, what was walked."""

    is_step: Callable[[str], bool]
    found: list[Route] = field(default_factory=list)
    walked: set[tuple[str, tuple[str, ...], bool]] = field(default_factory=set)
