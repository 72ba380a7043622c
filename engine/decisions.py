"""DMN decision tables deployed with a diagram: read, checked, and handed to the parser.

A ``bpmn:businessRuleTask`` with ``camunda:decisionRef="..."`` is evaluated by SpiffWorkflow's DMN
engine against the decision of that id. The ``.dmn`` files travel with the ``.bpmn`` that uses
them (a bundle, deployed in one transaction); the parsed decision table is part of the version's
stored spec (SpiffWorkflow's business rule task converter) and the DMN text is kept beside it in
the spec JSON (``engine.serialization``), so a later diagram calling this process can be parsed
again. Every cell is a Python expression run by the engine's restricted script engine (FEEL is
not read): an input entry is a value compared with ``==`` (``"berat"``, ``3``), the rest of a
comparison (``> 10``), an expression where ``?`` is the input (``? in ["a", "b"]``,
``1 <= ? < 5``), or ``-``/empty for any value.

Each problem is one Indonesian sentence naming the file and the line (and the element).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS
from SpiffWorkflow.dmn.parser.DMNParser import DMNParser

from .errors import DiagramIssue, NotFound
from .parser import safe_xml_parser
from .scripting import check_syntax

#: a decision file is small: a table of a few dozen rules
MAX_DECISION_BYTES = 512 * 1024
DMN_NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "https://www.omg.org/spec/DMN/20230324/MODEL/",
}
_validators: dict[str, BpmnValidator] = {}


@dataclass
class DecisionFile:
    """One checked ``.dmn`` file: its text and the decision it defines."""

    filename: str
    text: str
    root: Any = field(repr=False)
    decision_id: str
    decision_name: str


def _name(filename: str) -> str:
    return os.path.basename(filename) or "keputusan.dmn"


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _validator(namespace: str) -> BpmnValidator | None:
    schema = DMN_SCHEMAS.get(namespace)
    if schema is None:
        return None
    if namespace not in _validators:
        _validators[namespace] = BpmnValidator(schema)
    return _validators[namespace]


def _describe(element) -> str:
    kind = {
        "decision": "keputusan",
        "decisionTable": "tabel keputusan",
        "input": "masukan",
        "output": "keluaran",
        "rule": "aturan",
        "inputEntry": "sel masukan",
        "outputEntry": "sel keluaran",
        "inputExpression": "ungkapan masukan",
    }.get(_local(element), _local(element) or "elemen")
    name = element.get("name") or element.get("label")
    ident = element.get("id")
    if name and ident:
        return f"{kind} '{name}' ({ident})"
    return f"{kind} '{ident}'" if ident else kind


def _issue(message: str, filename: str, element=None, line: int | None = None) -> DiagramIssue:
    element_id = element.get("id") if element is not None else None
    if line is None and element is not None:
        line = element.sourceline
    return DiagramIssue(message, element_id, line, filename)


def _read(xml: bytes, filename: str) -> tuple[Any, list[DiagramIssue]]:
    if len(xml) > MAX_DECISION_BYTES:
        return None, [
            _issue(
                f"berkas DMN terlalu besar: {len(xml)} byte, paling besar {MAX_DECISION_BYTES} "
                "byte",
                filename,
            )
        ]
    try:
        root = etree.fromstring(xml, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        return None, [
            _issue(
                f"berkas DMN bukan XML yang tersusun benar (pesan pengurai: {exc.msg}); perbaiki "
                "tag pada baris itu",
                filename,
                line=exc.lineno or None,
            )
        ]
    tree = etree.ElementTree(root)
    if tree.docinfo.doctype:
        return None, [
            _issue("berkas DMN memuat deklarasi DOCTYPE; hapus deklarasi itu", filename, line=1)
        ]
    namespace = etree.QName(root).namespace
    if _local(root) != "definitions" or namespace not in DMN_NAMESPACES:
        return None, [
            _issue(
                "berkas ini tidak berformat DMN: elemen akarnya harus definitions dengan "
                "namespace DMN 1.1, 1.2 atau 1.3",
                filename,
                line=root.sourceline,
            )
        ]
    validator = _validator(namespace)
    if validator is not None:
        try:
            validator.validate(root, filename)
        except ValidationException as exc:
            detail = " ".join(str(exc.args[0] if exc.args else "").split())
            return None, [
                _issue(
                    f"berkas DMN tidak sesuai skema DMN (pesan skema: {detail}); simpan ulang dari "
                    "pemodel DMN",
                    filename,
                    line=exc.line_number or None,
                )
            ]
    return root, []


def _cells(root) -> Iterable[tuple[object, str, str]]:
    """(element, text, kind) of every expression cell: inputs, input entries, output entries."""
    for element in root.iter():
        kind = _local(element)
        if kind not in ("inputExpression", "inputEntry", "outputEntry"):
            continue
        text_node = next((c for c in element if _local(c) == "text"), None)
        text = (text_node.text or "").strip() if text_node is not None else ""
        if text and text != "-":
            yield element, text, kind


#: a ``?`` outside quotes stands for the input's value (SpiffWorkflow's DMN engine)
_QUESTION = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


def _cell_problem(text: str, kind: str) -> str | None:
    if kind != "inputEntry":
        return check_syntax(text, "eval")
    if _QUESTION.search(text):  # "? in ['a', 'b']", "1 < ? < 5"
        return check_syntax(_QUESTION.sub("nilai", text), "eval")
    # a value compared with ==, or the rest of a comparison glued to the input ("> 10"):
    # SpiffWorkflow joins them without a space, so "in [...]" needs "? in [...]"
    if re.match(r"(not\s+in|in|is)\b", text):
        return "operator kata ditulis dengan ?, misalnya ? in [...]"
    if check_syntax(text, "eval") is None:
        return None
    return check_syntax(f"nilai{text}", "eval")


def _rule_issues(table, filename: str) -> list[DiagramIssue]:
    """A rule must have one cell per input and per output column (SpiffWorkflow pairs them by
    position, so a missing cell shifts the others)."""
    columns = [sum(1 for el in table if _local(el) == kind) for kind in ("input", "output")]
    issues = []
    for rule in (el for el in table if _local(el) == "rule"):
        cells = [
            sum(1 for el in rule if _local(el) == kind) for kind in ("inputEntry", "outputEntry")
        ]
        if cells != columns:
            issues.append(
                _issue(
                    f"{_describe(rule)} punya {cells[0]} sel masukan dan {cells[1]} sel keluaran, "
                    f"padahal tabelnya punya {columns[0]} masukan dan {columns[1]} keluaran; isi "
                    "setiap sel (- untuk nilai apa saja)",
                    filename,
                    rule,
                )
            )
    return issues


def _check(root, filename: str) -> tuple[DecisionFile | None, list[DiagramIssue]]:
    decisions = [el for el in root if _local(el) == "decision"]
    if len(decisions) != 1:
        return None, [
            _issue(
                f"berkas DMN harus memuat tepat satu keputusan (decision), ditemukan "
                f"{len(decisions)}; pecah menjadi beberapa berkas",
                filename,
                line=root.sourceline,
            )
        ]
    decision = decisions[0]
    tables = [el for el in decision if _local(el) == "decisionTable"]
    if len(tables) != 1:
        return None, [
            _issue(
                f"{_describe(decision)} harus berupa satu tabel keputusan (decisionTable); "
                "ungkapan literal dan keputusan bertingkat belum dijalankan mesin proses",
                filename,
                decision,
            )
        ]
    issues = []
    policy = (tables[0].get("hitPolicy") or "UNIQUE").upper()
    if policy not in ("UNIQUE", "FIRST", "COLLECT"):
        issues.append(
            _issue(
                f"{_describe(tables[0])} memakai hitPolicy {policy}; yang dijalankan: UNIQUE, "
                "FIRST atau COLLECT",
                filename,
                tables[0],
            )
        )
    issues += _rule_issues(tables[0], filename)
    for element, text, kind in _cells(root):
        problem = _cell_problem(text, kind)
        if problem:
            issues.append(
                _issue(
                    f"{_describe(element)} bukan ungkapan Python yang sah ({problem}): {text!r}; "
                    'tulis misalnya "berat", > 10, ? in ["a", "b"] atau kategori',
                    filename,
                    element,
                )
            )
    if issues:
        return None, issues
    text = etree.tostring(root, encoding="unicode")
    return DecisionFile(
        filename, text, root, decision.get("id") or "", decision.get("name") or ""
    ), []


def read_decisions(
    files: Sequence[tuple[str, bytes]],
) -> tuple[dict[str, DecisionFile], list[DiagramIssue]]:
    """{decision id: file} of the bundle's ``.dmn`` files, or the issues that refuse them."""
    found: dict[str, DecisionFile] = {}
    issues: list[DiagramIssue] = []
    for raw_name, xml in files:
        filename = _name(raw_name)
        if isinstance(xml, str):
            xml = xml.encode("utf-8")
        root, problems = _read(xml, filename)
        if root is None:
            issues += problems
            continue
        decision, problems = _check(root, filename)
        if decision is None:
            issues += problems
            continue
        other = found.get(decision.decision_id)
        if other is not None:
            issues.append(
                _issue(
                    f"keputusan '{decision.decision_id}' ada di dua berkas ({other.filename} dan "
                    f"{filename}); beri setiap keputusan id sendiri",
                    filename,
                    line=root.sourceline,
                )
            )
            continue
        found[decision.decision_id] = decision
    return found, issues


def add_to_parser(parser, decisions: Iterable[DecisionFile]) -> list[DiagramIssue]:
    """Give the parser the decisions and parse each now (a failure names its file)."""
    issues = []
    for decision in decisions:
        try:
            parser.add_dmn_xml(decision.root, filename=decision.filename)
            dmn_parser = parser.dmn_parsers[decision.decision_id]
            if isinstance(dmn_parser, DMNParser):
                dmn_parser.parse()
        except ValidationException as exc:
            issues.append(
                _issue(
                    f"berkas DMN tidak dapat dibaca: {' '.join(str(exc.args[0]).split())}",
                    decision.filename,
                    line=exc.line_number or None,
                )
            )
        except (KeyError, IndexError, AttributeError, ValueError):
            issues.append(
                _issue(
                    "berkas DMN tidak lengkap: ada bagian tabel keputusan yang hilang atau tidak "
                    "terbaca; buka dan simpan ulang dari pemodel DMN",
                    decision.filename,
                )
            )
    return issues


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
            f"{path}: a .dmn file is deployed with the .bpmn that uses it (deploy that file or "
            "its directory)"
        )
    folder = path if path.is_dir() else path.parent
    files = sorted(folder.glob("*.bpmn")) if path.is_dir() else [path]
    if not files:
        raise NotFound(f"no .bpmn files in {path}")
    for file in files:
        if not file.exists():
            raise NotFound(f"no such file: {file}")
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
