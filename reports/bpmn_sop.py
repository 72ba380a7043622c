"""Reading the SOP out of a BPMN diagram (Camunda 7 flavour), safely.

The SOP steps are the user and manual tasks that carry ``camunda:properties``
``standard_minutes`` or a step number (``sop_step``; also ``nomor_langkah``),
with ``inputs`` (kelengkapan), ``output`` and an optional ``remarks``
(keterangan). Steps keep the diagram's own numbers; steps without one take
the free numbers in the diagram's topological order (``reports.sop_graph``).
Each step's exits say where it leads ("lanjut ke langkah 9", "kembali ke
langkah 4", "proses selesai"), with the decision labels taken on the way.
The role of a step is its lane. The process's own properties give the header
(``sop_number``, ``sop_date``, ``revision_date``, ``effective_date``,
``approver``, ``approver_name``, ``approver_nip``, ``legal_basis``,
``qualifications``, ``related``, ``equipment``, ``warnings``, ``recording``,
``requirements``, ``cost``, ``product``, or their Indonesian names in
``PROCESS_ALIASES``; lists separated by ``;``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from lxml import etree

from .sop_graph import BPMN, FlowGraph, Route, local_name

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}
STEP_KINDS = {"userTask", "manualTask"}
STEP_NUMBER_KEYS = ("sop_step", "nomor_langkah")
#: the ways to one place a decision's remark names before it says "…"
MAX_LABELS = 3
#: the process properties by their English key, and the Indonesian names an analyst may use
PROCESS_ALIASES: dict[str, tuple[str, ...]] = {
    "sop_number": ("nomor_sop",),
    "sop_date": ("tanggal_pembuatan",),
    "revision_date": ("tanggal_revisi",),
    "effective_date": ("tanggal_efektif",),
    "approver": ("disahkan_oleh",),
    "approver_name": ("nama_pengesah",),
    "approver_nip": ("nip_pengesah",),
    "legal_basis": ("dasar_hukum",),
    "qualifications": ("kualifikasi_pelaksana",),
    "related": ("keterkaitan",),
    "equipment": ("peralatan",),
    "warnings": ("peringatan",),
    "recording": ("pencatatan",),
    "requirements": ("persyaratan",),
    "product": ("produk_layanan",),
    "cost": ("biaya",),
}
STEP_ALIASES: dict[str, tuple[str, ...]] = {
    "standard_minutes": ("waktu_baku",),
    "inputs": ("kelengkapan",),
    "output": ("keluaran",),
    "remarks": ("keterangan",),
}


class SopParseError(ValueError):
    """The file is not a BPMN diagram this module can read as an SOP (message in Bahasa Indonesia)."""


@dataclass
class Exit:
    """Where a step leads: a step number, or None when the process ends there."""

    label: str
    target: int | None
    passed: list[str] = field(default_factory=list)

    def describe(self, number: int) -> str:
        if self.target is None:
            first = self.passed[0] if self.passed else ""
            return f"{first[:1].lower()}{first[1:]}, proses selesai" if first else "proses selesai"
        verb = "lanjut ke" if self.target > number else "kembali ke"
        return f"{verb} langkah {self.target}"


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
    exits: list[Exit] = field(default_factory=list)
    note: str = ""

    def remarks(self, tags: list[str] | None = None) -> str:
        """The Keterangan column: every way out but the plain next step, and the analyst's note.

        ``tags`` are the letters the drawing puts on a decision's exits instead of their names.
        """
        if self.symbol == "decision":
            tags = tags or [e.label for e in self.exits]
            lines = [
                f"{f'({tag}) ' if tag != e.label else ''}{e.label}: {e.describe(self.number)}"
                for tag, e in zip(tags, self.exits, strict=True)
            ]
        elif len([e for e in self.exits if e.target]) > 1:  # a fork: the branches run together
            numbers = " dan ".join(str(e.target) for e in self.exits if e.target)
            lines = [f"Lanjut bersamaan ke langkah {numbers}"]
        else:
            lines = [
                e.describe(self.number)
                for e in self.exits
                if e.target is not None and e.target != self.number + 1
            ]
            lines = [line[:1].upper() + line[1:] for line in lines]
        text = ". ".join([*lines, self.note.rstrip(".")] if self.note else lines)
        return f"{text}." if text else ""


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
        """The longest way through the steps (loops back not repeated): the completion time."""
        longest: dict[int, float] = {}
        for step in reversed(self.steps):
            onward = [
                longest[e.target]
                for e in step.exits
                if e.target is not None and e.target > step.number and e.target in longest
            ]
            longest[step.number] = step.minutes + max(onward, default=0.0)
        firsts = [s for s in self.steps if s.symbol == "start"] or self.steps[:1]
        return max((longest[s.number] for s in firsts), default=0.0)

    @property
    def branches(self) -> bool:
        """True when some steps are alternatives (the total is then not the sum of all steps)."""
        return self.total_minutes < sum(step.minutes for step in self.steps)

    def listed(self, key: str) -> list[str]:
        return [
            part.strip()
            for part in self.properties.get(key, "").replace("\n", ";").split(";")
            if part.strip()
        ]


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _properties(element: etree._Element, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found = element.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)
    values = {p.get("name"): (p.get("value") or "").strip() for p in found if p.get("name")}
    for key, others in aliases.items():
        if not values.get(key):
            values[key] = next((values[o] for o in others if values.get(o)), values.get(key, ""))
    return {key: value for key, value in values.items() if value}


def _pick_process(root: etree._Element) -> etree._Element:
    processes = root.findall("bpmn:process", NS)
    if not processes:
        raise SopParseError("berkas tidak memuat proses BPMN (bpmn:process)")
    return next((p for p in processes if p.find("bpmn:laneSet", NS) is not None), processes[0])


def _lanes(process: etree._Element) -> tuple[list[str], dict[str, str]]:
    order: list[str] = []
    lane_of: dict[str, str] = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        refs = lane.findall("bpmn:flowNodeRef", NS)
        if not refs:
            continue
        name = " ".join((lane.get("name") or lane.get("id") or "").split())
        order.append(name)
        for ref in refs:
            lane_of[(ref.text or "").strip()] = name
    return order, lane_of


def _is_step(graph: FlowGraph, node: str) -> bool:
    if graph.kind(node) not in STEP_KINDS:
        return False
    props = _properties(graph.nodes[node], STEP_ALIASES)
    return "standard_minutes" in props or any(props.get(k) for k in STEP_NUMBER_KEYS)


def _label(graph: FlowGraph, node: str) -> str:
    return f"'{graph.name(node) or node}' ({node})"


def _diagram_number(graph: FlowGraph, node: str) -> int | None:
    props = _properties(graph.nodes[node], {})
    value = next((props[k] for k in STEP_NUMBER_KEYS if props.get(k)), None)
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise SopParseError(
            f"langkah {_label(graph, node)}: nomor langkah '{value}' bukan bilangan bulat positif"
        )
    return int(value)


def _numbers(graph: FlowGraph, ids: list[str]) -> dict[str, int]:
    """The diagram's own numbers; steps without one take the free numbers in flow order."""
    numbers: dict[str, int] = {}
    holder: dict[int, str] = {}
    for node in ids:
        number = _diagram_number(graph, node)
        if number is None:
            continue
        if number in holder:
            raise SopParseError(
                f"langkah {_label(graph, holder[number])} dan {_label(graph, node)} "
                f"memakai nomor langkah {number} yang sama"
            )
        numbers[node], holder[number] = number, node
    free = (n for n in range(1, len(ids) + len(holder) + 1) if n not in holder)
    for node in ids:
        if node not in numbers:
            numbers[node] = next(free)
    return numbers


def _minutes(graph: FlowGraph, node: str, props: dict[str, str]) -> float:
    value = props.get("standard_minutes", "0").replace(",", ".")
    try:
        return float(value)
    except ValueError:
        raise SopParseError(
            f"langkah {_label(graph, node)}: waktu baku '{value}' bukan angka (menit)"
        ) from None


def _exits(route_list: list[Route], numbers: dict[str, int], number: int) -> list[Exit]:
    """One exit per place reached; the labels of several ways there joined with 'atau'."""
    grouped: dict[tuple[int | None, tuple[str, ...]], list[str]] = {}
    for route in route_list:
        target = numbers[route.target] if route.target else None
        label = " / ".join(route.labels)
        if route.decided and not label:
            label = "Ya" if target == number + 1 else "Tidak"
        labels = grouped.setdefault((target, () if target else tuple(route.passed)), [])
        if label not in labels:
            labels.append(label)
    exits = [
        Exit(_either(labels), target, list(passed)) for (target, passed), labels in grouped.items()
    ]
    return sorted(exits, key=lambda e: e.target != number + 1)


def _either(labels: list[str]) -> str:
    named = [label for label in labels if label]
    if len(named) > MAX_LABELS:
        named = [*named[:MAX_LABELS], "…"]
    return " atau ".join(named)


def _steps(graph: FlowGraph, lane_of: dict[str, str]) -> list[SopStep]:
    in_order = graph.topological_order()
    ids = [n for n in in_order if _is_step(graph, n)]
    ids += [n for n in graph.nodes if n not in ids and _is_step(graph, n)]
    numbers = _numbers(graph, ids)
    is_step = lambda node: node in numbers  # noqa: E731
    steps = []
    for node in sorted(ids, key=numbers.__getitem__):
        props = _properties(graph.nodes[node], STEP_ALIASES)
        routes = graph.routes(node, is_step)
        step = SopStep(
            numbers[node],
            node,
            graph.name(node) or node,
            lane_of.get(node, "-"),
            _minutes(graph, node, props),
            props.get("inputs", ""),
            props.get("output", ""),
            exits=_exits(routes, numbers, numbers[node]),
            note=props.get("remarks", ""),
        )
        if any(r.decided for r in routes) and len(step.exits) > 1:
            step.symbol = "decision"
        elif all(e.target is None for e in step.exits):
            step.symbol = "end"
        steps.append(step)
    firsts = {r.target for start in graph.starts for r in graph.routes(start, is_step)}
    for step in steps:
        if step.element_id in firsts and step.symbol == "process":
            step.symbol = "start"
    return steps


def parse_sop(xml: bytes | str) -> SopModel:
    """The SOP read from BPMN XML (entities and network access off)."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise SopParseError(f"XML tidak tersusun dengan benar: {exc}") from None
    if local_name(root) != "definitions" or etree.QName(root).namespace != BPMN:
        raise SopParseError("bukan dokumen BPMN 2.0 (bpmn:definitions)")
    process = _pick_process(root)
    graph = FlowGraph(process)
    lane_order, lane_of = _lanes(process)
    steps = _steps(graph, lane_of)
    roles = [lane for lane in lane_order if any(s.role == lane for s in steps)]
    roles += sorted({s.role for s in steps} - set(roles))
    doc = process.find("bpmn:documentation", NS)
    return SopModel(
        process.get("id") or "",
        " ".join((process.get("name") or process.get("id") or "").split()),
        roles,
        steps,
        _properties(process, PROCESS_ALIASES),
        (doc.text or "").strip() if doc is not None else "",
    )


def boundary_branch_elements(xml: bytes | str) -> set[str]:
    """Ids of the elements on paths started by boundary events (escalations): side work, not progress."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    graph = FlowGraph(_pick_process(etree.fromstring(data, parser=safe_parser())))
    found: set[str] = set()
    queue = deque(node for node in graph.nodes if graph.kind(node) == "boundaryEvent")
    while queue:
        node = queue.popleft()
        if node in found:
            continue
        found.add(node)
        queue.extend(flow.target for flow in graph.flows(node))
    return found
