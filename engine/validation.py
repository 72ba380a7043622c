"""Checking a diagram before it is deployed: size, XML, XSD, SpiffWorkflow's parse, and the rest.

``validate_diagram`` runs the checks in order and stops at the first kind that
finds issues: the file as XML against its limits and the BPMN 2.0 schema
(``engine.file_checks``); the bundle's DMN files (``engine.dmn_checks``); then,
together, the call activities (``engine.call_checks``) and what SpiffWorkflow
does not check (``engine.diagram_checks``: Python syntax of conditions, scripts
and timer expressions; tasks with no outgoing flow; unknown service topics;
tasks nobody may do); last SpiffWorkflow's own parse, whose refusals are said
again in Bahasa Indonesia (``engine.refusals``). Every issue names the element
and, where it can be found, the line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .call_checks import DeployedLookup, called_files
from .diagram_checks import semantic_issues
from .dmn_checks import DecisionFile, add_to_parser, read_decisions
from .errors import DiagramIssue
from .file_checks import MAX_FLOW_NODES, process_issues, read_xml, schema_issue
from .parser import CAMUNDA, LaksanaParser, safe_xml_parser
from .refusals import BPMN_NS, refusal_of
from .texts import say

#: process id -> {filename: DMN text} deployed with it
DecisionLookup = Callable[[str], dict[str, str]]


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
    tree, issues = read_xml(xml, filename)
    if issues:
        return None, issues
    root = tree.getroot()
    refused = schema_issue(tree, filename)
    if refused is not None:
        return None, [refused]
    issues = process_issues(root, filename)
    if issues:
        return None, issues
    bundle, issues = read_decisions(decisions)
    if issues:
        return None, issues
    called, call_issues = called_files(root, filename, deployed)
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
