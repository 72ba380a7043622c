"""Checking a diagram before it is deployed: size, XML, XSD, SpiffWorkflow's parse, and the rest.

SpiffWorkflow checks the schema and much of the structure but not: Python syntax
of conditions, scripts and timer expressions; tasks with no outgoing flow;
unknown service topics; tasks nobody may do; call activities into processes that
are not there, or that call themselves. Those are checked here
(``engine.diagram_checks``), and SpiffWorkflow's own refusals are said again in
Bahasa Indonesia (``engine.refusals``). Every issue names the element and, where
it can be found, the line.

Limits, the same for the CLI and the web (the web refuses a larger upload
before it gets here): ``MAX_DIAGRAM_BYTES`` per file and ``MAX_FLOW_NODES`` flow
nodes per file (SpiffWorkflow's parser follows a chain of tasks recursively and
runs out of stack at about 490 in a row). A DOCTYPE declaration is refused: a
BPMN file needs none, and entities are the way into XXE and entity bombs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from .call_versions import pinned_version, version_clash
from .diagram_checks import flow_node_count, semantic_issues
from .dmn_checks import DecisionFile, add_to_parser, read_decisions
from .errors import DiagramIssue
from .parser import CAMUNDA, LaksanaParser, safe_xml_parser
from .refusals import BPMN_NS, describe, find_element, issue_at, local_name, refusal_of
from .texts import say

NS = {"bpmn": BPMN_NS}
MAX_DIAGRAM_BYTES = 2 * 1024 * 1024
MAX_FLOW_NODES = 300
#: process id -> the deployed XML that defines it (None when no version is deployed)
#: (process id, pinned version or None for the latest) -> that deployed version's XML
DeployedLookup = Callable[[str, int | None], str | None]
#: process id -> {filename: DMN text} deployed with it
DecisionLookup = Callable[[str], dict[str, str]]
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
    #: decision id -> the DMN file of the bundle that defines it
    decisions: dict[str, DecisionFile] = field(default_factory=dict)

    #: the diagram's root element (lxml), for checks against the store (roles)
    root: Any = None

    def decisions_of(self, process_id: str) -> dict[str, DecisionFile]:
        """The decisions the process's file refers to (kept with the process's version)."""
        document = self.parser.get_process_parser(process_id).node.getroottree()
        refs = {
            task.get(f"{CAMUNDA}decisionRef")
            for task in document.iter(f"{{{BPMN_NS}}}businessRuleTask")
        }
        return {ref: self.decisions[ref] for ref in sorted(r for r in refs if r in self.decisions)}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _read_xml(xml: bytes, filename: str):
    """(tree, None) or (None, issues) for the raw bytes."""
    if len(xml) > MAX_DIAGRAM_BYTES:
        return None, [
            DiagramIssue(
                say(
                    "diagram terlalu besar: %(size)s byte, paling besar %(limit)s byte; pecah "
                    "menjadi beberapa proses yang dipanggil lewat call activity",
                    size=_number(len(xml)),
                    limit=_number(MAX_DIAGRAM_BYTES),
                ),
                None,
                None,
                filename,
            )
        ]
    try:
        root = etree.fromstring(xml, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        return None, [
            DiagramIssue(
                say(
                    "XML tidak tersusun dengan benar (pesan pengurai: %(detail)s); perbaiki tag "
                    "pada baris itu",
                    detail=exc.msg,
                ),
                None,
                exc.lineno or None,
                filename,
            )
        ]
    tree = etree.ElementTree(root)
    if tree.docinfo.doctype:
        return None, [
            DiagramIssue(
                say(
                    "diagram memuat deklarasi DOCTYPE; hapus deklarasi itu (berkas BPMN tidak "
                    "memerlukannya, dan entitas di dalamnya tidak dibaca)"
                ),
                None,
                1,
                filename,
            )
        ]
    if root is None or local_name(root) != "definitions" or etree.QName(root).namespace != BPMN_NS:
        return None, [
            DiagramIssue(
                say(
                    "berkas ini tidak berformat BPMN 2.0: elemen akarnya harus bpmn:definitions "
                    "dengan namespace %(ns)s",
                    ns=BPMN_NS,
                ),
                None,
                root.sourceline if root is not None else 1,
                filename,
            )
        ]
    return tree, None


def _schema_issue(tree, filename: str) -> DiagramIssue | None:
    try:
        _xsd().validate(tree, filename)
    except ValidationException as exc:
        detail = exc.args[0] if exc.args else ""
        element = find_element(tree, exc.id or None)
        where = say(" pada %(el)s", el=describe(element)) if element is not None else ""
        return DiagramIssue(
            say(
                "diagram tidak sesuai skema BPMN 2.0%(where)s (pesan skema: %(detail)s); simpan "
                "ulang dari pemodel BPMN",
                where=where,
                detail=detail,
            ),
            exc.id or None,
            exc.line_number or (element.sourceline if element is not None else None),
            filename,
        )
    return None


def _process_issues(root, filename: str) -> list[DiagramIssue]:
    issues = []
    count = flow_node_count(root)
    if count > MAX_FLOW_NODES:
        issues.append(
            DiagramIssue(
                say(
                    "diagram punya %(count)d elemen alur (tugas, event, gerbang), paling banyak "
                    "%(limit)d; pecah menjadi beberapa proses yang dipanggil lewat call activity",
                    count=count,
                    limit=MAX_FLOW_NODES,
                ),
                None,
                1,
                filename,
            )
        )
    if root.xpath("//bpmn:process[@isExecutable='true']", namespaces=NS):
        return issues
    processes = root.xpath("//bpmn:process", namespaces=NS)
    if not processes:
        issues.append(
            DiagramIssue(
                say(
                    "diagram tidak punya proses (hanya kolaborasi atau koreografi); tambahkan "
                    "proses"
                ),
                None,
                1,
                filename,
            )
        )
    for process in processes:
        issues.append(
            issue_at(
                process,
                say(
                    '%(el)s tidak ditandai dapat dijalankan: isi isExecutable="true"',
                    el=describe(process),
                ),
                filename,
            )
        )
    return issues


def _call_graph(root) -> dict[str, set[str]]:
    return {
        process.get("id"): {
            call.get("calledElement")
            for call in process.iter(f"{{{BPMN_NS}}}callActivity")
            if call.get("calledElement")
        }
        for process in root.iter(f"{{{BPMN_NS}}}process")
    }


def _pins(root, filename: str, chosen: dict[str, int | None]) -> list[DiagramIssue]:
    """Read each call activity's pinned version into ``chosen``; the issues found on the way."""
    issues: list[DiagramIssue] = []
    for call in root.iter(f"{{{BPMN_NS}}}callActivity"):
        version, issue = pinned_version(call, filename)
        clash = version_clash(call, call.get("calledElement") or "", chosen, version, filename)
        issues += [i for i in (issue, clash) if i is not None]
    return issues


def _called_files(root, filename: str, deployed: DeployedLookup | None):
    """({process id: deployed XML} the diagram's call activities need, issues)."""
    graph = _call_graph(root)
    local = set(graph)
    texts: dict[str, str] = {}
    chosen: dict[str, int | None] = {}
    issues: list[DiagramIssue] = _pins(root, filename, chosen)
    todo = [(pid, call) for pid, calls in graph.items() for call in calls]
    seen: set[str] = set(local)
    while todo:
        _caller, called = todo.pop()
        if called in seen:
            continue
        seen.add(called)
        text = deployed(called, chosen.get(called)) if deployed is not None else None
        if text is None:
            continue
        texts[called] = text
        other = etree.fromstring(text.encode("utf-8"), parser=safe_xml_parser())
        _pins(other, filename, chosen)  # deployed before: its own pins were checked then
        for pid, calls in _call_graph(other).items():
            graph.setdefault(pid, set()).update(calls)
            todo.extend((pid, c) for c in calls)
    for call in root.iter(f"{{{BPMN_NS}}}callActivity"):
        target = call.get("calledElement")
        if not target:
            issues.append(
                issue_at(
                    call,
                    say(
                        "%(el)s tidak menyebut proses yang dipanggil: isi calledElement",
                        el=describe(call),
                    ),
                    filename,
                )
            )
        elif target not in graph and chosen.get(target) is not None:
            issues.append(
                issue_at(
                    call,
                    say(
                        "%(el)s memanggil proses '%(target)s' versi %(version)s yang belum "
                        "diterapkan; perbaiki calledElementVersion atau terapkan versi itu dulu",
                        el=describe(call),
                        target=target,
                        version=chosen[target],
                    ),
                    filename,
                )
            )
        elif target not in graph:
            issues.append(
                issue_at(
                    call,
                    say(
                        "%(el)s memanggil proses '%(target)s' yang tidak ada di berkas ini dan "
                        "belum diterapkan; terapkan proses itu dulu atau perbaiki calledElement",
                        el=describe(call),
                        target=target,
                    ),
                    filename,
                )
            )
        elif _reaches(graph, target, _owner(call)):
            issues.append(
                issue_at(
                    call,
                    say(
                        "%(el)s memanggil proses '%(target)s' yang (langsung atau lewat proses "
                        "lain) memanggil proses ini lagi; panggilan berulang tanpa akhir tidak "
                        "dapat dijalankan, ganti dengan loop",
                        el=describe(call),
                        target=target,
                    ),
                    filename,
                )
            )
    return texts, issues


def _owner(element) -> str | None:
    parent = element.getparent()
    while parent is not None and local_name(parent) != "process":
        parent = parent.getparent()
    return parent.get("id") if parent is not None else None


def _reaches(graph: dict[str, set[str]], start: str, goal: str | None) -> bool:
    todo, seen = [start], set()
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(graph.get(current, ()))
    return False


def _parse(tree, filename: str, called: list[str], decisions: list[DecisionFile]):
    parser = LaksanaParser()
    issues = add_to_parser(parser, decisions)
    if issues:
        return None, issues
    try:
        parser.add_bpmn_xml(tree, filename=filename)
        for number, text in enumerate(called):
            other = etree.fromstring(text.encode("utf-8"), parser=safe_xml_parser())
            parser.add_bpmn_xml(etree.ElementTree(other), filename=f"deployed-{number}.bpmn")
        process_ids = [
            pid for pid in parser.get_process_ids() if tree.xpath("//*[@id=$id]", id=pid)
        ]
        for pid in process_ids:
            parser.get_spec(pid)
            parser.get_subprocess_specs(pid)
    except RecursionError:
        return None, [
            DiagramIssue(
                say(
                    "diagram terlalu dalam untuk dibaca (rantai tugas terlalu panjang); paling "
                    "banyak %(limit)d elemen alur, pecah menjadi beberapa proses",
                    limit=MAX_FLOW_NODES,
                ),
                None,
                1,
                filename,
            )
        ]
    except Exception as exc:  # noqa: BLE001 - every parse failure becomes a refusal people can read
        return None, [refusal_of(exc, tree, filename)]
    return parser, process_ids


def validate_diagram(
    xml: bytes | str,
    filename: str = "diagram.bpmn",
    deployed: DeployedLookup | None = None,
    topics: Collection[str] = (),
    decisions: Sequence[tuple[str, bytes]] = (),
    deployed_decisions: DecisionLookup | None = None,
) -> tuple[ParsedDiagram | None, list[DiagramIssue]]:
    """Parse and check a diagram; returns (parsed, []) or (None, issues).

    ``topics`` are the service topics with a registered handler (the composition root's); a
    service task naming any other topic is an issue.

    ``deployed`` finds the XML of processes deployed before, for call activities
    into another process; without it only processes of this file can be called.

    ``decisions`` are the bundle's ``.dmn`` files as (filename, bytes) (``engine.dmn_checks``);
    a business rule task's ``camunda:decisionRef`` must name one of their decisions, or one kept
    with the deployed version of this file's processes or of a called process
    (``deployed_decisions``): a diagram edited alone keeps the decisions deployed before.
    """
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    tree, issues = _read_xml(xml, filename)
    if issues:
        return None, issues
    root = tree.getroot()
    schema_issue = _schema_issue(tree, filename)
    if schema_issue is not None:
        return None, [schema_issue]
    issues = _process_issues(root, filename)
    if issues:
        return None, issues
    bundle, issues = read_decisions(decisions)
    if issues:
        return None, issues
    called, call_issues = _called_files(root, filename, deployed)
    available = dict(bundle)
    # decisions kept with the deployed versions of this file's processes stay unless the bundle
    # replaces them (the web editor sends the diagram alone), then those of called processes
    own = [p.get("id") for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("id")]
    for pid in [*own, *called]:
        for decision in read_decisions(
            [(n, t.encode("utf-8")) for n, t in (deployed_decisions or _none)(pid).items()]
        )[0].values():
            available.setdefault(decision.decision_id, decision)
    issues = semantic_issues(root, filename, topics, set(available))
    issues += call_issues
    if issues:
        return None, issues
    parser, found = _parse(tree, filename, list(called.values()), list(available.values()))
    if parser is None:
        return None, found
    names = {pid: parser.get_process_parser(pid).get_name() or pid for pid in found}
    return ParsedDiagram(parser, found, names, tree.docinfo.encoding, available, root), []


def _none(_pid: str) -> dict[str, str]:
    return {}
