"""DMN decision tables deployed with a diagram: found beside it, kept with it, shown as tables.

A ``bpmn:businessRuleTask`` with ``camunda:decisionRef="..."`` is evaluated by SpiffWorkflow's DMN
engine against the decision of that id. The ``.dmn`` files travel with the ``.bpmn`` that uses
them (a bundle, deployed in one transaction); the parsed decision table is part of the version's
stored spec (SpiffWorkflow's business rule task converter) and the DMN text is kept beside it in
the spec JSON (``engine.serialization``), so a later diagram calling this process can be parsed
again. Every cell is a Python expression run by the engine's restricted script engine (FEEL is
not read): an input entry is a value compared with ``==`` (``"berat"``, ``3``), the rest of a
comparison (``> 10``), an expression where ``?`` is the input (``? in ["a", "b"]``,
``1 <= ? < 5``), or ``-``/empty for any value.

A bundle's files are read and refused by ``engine.dmn_reading`` (a DMN document at all) and
``engine.dmn_checks`` (what the engine runs; handed to the parser); this module finds the
``.dmn`` files beside a diagram, keeps their texts with a version and shows a kept table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .dmn_checks import DecisionFile
from .errors import NotFound
from .parser import safe_xml_parser
from .refusals import local_name as _local
from .texts import say


def decision_texts(decisions: Iterable[DecisionFile]) -> dict[str, str]:
    """{filename: DMN text} to keep with a version's spec."""
    return {d.filename: d.text for d in decisions}


def from_texts(texts: dict[str, str]) -> list[tuple[str, bytes]]:
    return [(name, text.encode("utf-8")) for name, text in texts.items()]


#: a bundle's ``.dmn`` files as (filename, bytes)
Decisions = Sequence[tuple[str, bytes]]


def bundles_at(path: Path) -> list[tuple[Path, list[tuple[str, bytes]]]]:
    """(``.bpmn`` file, the ``.dmn`` files beside it) for a file or every diagram of a directory."""
    if path.suffix.lower() == ".dmn" and not path.is_dir():
        raise NotFound(
            say(
                "%(path)s: berkas .dmn dipasang bersama .bpmn yang memakainya; pasang berkas "
                ".bpmn itu atau foldernya",
                path=path,
            )
        )
    folder = path if path.is_dir() else path.parent
    files = sorted(folder.glob("*.bpmn")) if path.is_dir() else [path]
    if not files:
        raise NotFound(say("tidak ada berkas .bpmn di %(path)s", path=path))
    for file in files:
        if not file.exists():
            raise NotFound(say("berkas %(path)s tidak ada", path=file))
    decisions = [(dmn.name, dmn.read_bytes()) for dmn in sorted(folder.glob("*.dmn"))]
    return [(file, decisions) for file in files]


@dataclass
class DecisionTableView:
    """A deployed decision table as people read it (the model page): cells as written."""

    filename: str
    decision_id: str
    name: str
    hit_policy: str
    inputs: list[str]
    outputs: list[str]
    #: per rule: (input cells, output cells, description)
    rules: list[tuple[list[str], list[str], str]]


def table_view(filename: str, text: str) -> DecisionTableView | None:
    """The table of a kept DMN text (checked at deploy); None if it cannot be read."""
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=safe_xml_parser())
    except etree.XMLSyntaxError:
        return None
    decision = next((el for el in root if _local(el) == "decision"), None)
    table = (
        next((el for el in decision if _local(el) == "decisionTable"), None)
        if decision is not None
        else None
    )
    if decision is None or table is None:
        return None

    def cells(rule, kind: str) -> list[str]:
        found = []
        for entry in (el for el in rule if _local(el) == kind):
            node = next((c for c in entry if _local(c) == "text"), None)
            found.append(((node.text or "") if node is not None else "").strip() or "-")
        return found

    def description(rule) -> str:
        node = next((c for c in rule if _local(c) == "description"), None)
        return " ".join((node.text or "").split()) if node is not None else ""

    def heading(element) -> str:
        return element.get("label") or element.get("name") or element.get("id") or ""

    return DecisionTableView(
        filename,
        decision.get("id") or "",
        decision.get("name") or decision.get("id") or "",
        (table.get("hitPolicy") or "UNIQUE").upper(),
        [heading(el) for el in table if _local(el) == "input"],
        [heading(el) for el in table if _local(el) == "output"],
        [
            (cells(rule, "inputEntry"), cells(rule, "outputEntry"), description(rule))
            for rule in table
            if _local(rule) == "rule"
        ],
    )
