"""A bundle's ``.dmn`` files checked for what the engine runs, and handed to the parser.

After ``engine.dmn_reading`` (a DMN document at all): exactly one decision with one decision
table, a hit policy the engine runs (UNIQUE, FIRST, COLLECT), one cell per input and output
column in every rule, every cell a Python expression under the restricted scripting, and one
file per decision id in the bundle; then SpiffWorkflow's DMN parser reads each table. Each
refusal is one sentence through ``engine.texts.say`` naming the file, the element (kind, name,
id) and its line, and what to change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.dmn.parser.DMNParser import DMNParser

from .dmn_reading import describe, dmn_issue, read_dmn
from .errors import DiagramIssue
from .refusals import local_name
from .scripting import check_syntax
from .texts import say


@dataclass
class DecisionFile:
    """One checked ``.dmn`` file: its text and the decision it defines."""

    filename: str
    text: str
    root: Any = field(repr=False)
    decision_id: str
    decision_name: str


def _cells(root) -> Iterable[tuple[object, str, str]]:
    """(element, text, kind) of every expression cell: inputs, input entries, output entries."""
    for element in root.iter():
        kind = local_name(element)
        if kind not in ("inputExpression", "inputEntry", "outputEntry"):
            continue
        text_node = next((c for c in element if local_name(c) == "text"), None)
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
        return say("operator kata ditulis dengan ?, misalnya ? in [...]")
    if check_syntax(text, "eval") is None:
        return None
    return check_syntax(f"nilai{text}", "eval")


def _cell_issues(root, filename: str) -> list[DiagramIssue]:
    issues = []
    for element, text, kind in _cells(root):
        problem = _cell_problem(text, kind)
        if problem:
            message = say(
                "%(el)s bukan ungkapan Python yang sah (%(problem)s): %(text)s; tulis misalnya "
                '"berat", > 10, ? in ["a", "b"] atau kategori',
                el=describe(element),
                problem=problem,
                text=repr(text),
            )
            issues.append(dmn_issue(message, filename, element))
    return issues


def _rule_issues(table, filename: str) -> list[DiagramIssue]:
    """A rule must have one cell per input and per output column (SpiffWorkflow pairs them by
    position, so a missing cell shifts the others)."""
    columns = [sum(1 for el in table if local_name(el) == kind) for kind in ("input", "output")]
    issues = []
    for rule in (el for el in table if local_name(el) == "rule"):
        cells = [
            sum(1 for el in rule if local_name(el) == kind)
            for kind in ("inputEntry", "outputEntry")
        ]
        if cells != columns:
            message = say(
                "%(rule)s punya %(inputs)d sel masukan dan %(outputs)d sel keluaran, padahal "
                "tabelnya punya %(input_columns)d masukan dan %(output_columns)d keluaran; isi "
                "setiap sel (- untuk nilai apa saja)",
                rule=describe(rule),
                inputs=cells[0],
                outputs=cells[1],
                input_columns=columns[0],
                output_columns=columns[1],
            )
            issues.append(dmn_issue(message, filename, rule))
    return issues


def _table(root, filename: str) -> tuple[Any, Any, list[DiagramIssue]]:
    """(decision, its decision table, []) or (None, None, the issue refusing the file)."""
    decisions = [el for el in root if local_name(el) == "decision"]
    if len(decisions) != 1:
        message = say(
            "berkas DMN harus memuat tepat satu keputusan (decision), ditemukan %(n)d; pecah "
            "menjadi beberapa berkas",
            n=len(decisions),
        )
        return None, None, [dmn_issue(message, filename, line=root.sourceline)]
    decision = decisions[0]
    tables = [el for el in decision if local_name(el) == "decisionTable"]
    if len(tables) != 1:
        message = say(
            "%(el)s harus berupa satu tabel keputusan (decisionTable); ungkapan literal dan "
            "keputusan bertingkat belum dijalankan mesin proses",
            el=describe(decision),
        )
        return None, None, [dmn_issue(message, filename, decision)]
    return decision, tables[0], []


def _check(root, filename: str) -> tuple[DecisionFile | None, list[DiagramIssue]]:
    decision, table, issues = _table(root, filename)
    if decision is None:
        return None, issues
    policy = (table.get("hitPolicy") or "UNIQUE").upper()
    if policy not in ("UNIQUE", "FIRST", "COLLECT"):
        message = say(
            "%(el)s memakai hitPolicy %(policy)s; yang dijalankan: UNIQUE, FIRST atau COLLECT, "
            "pilih salah satunya",
            el=describe(table),
            policy=policy,
        )
        issues.append(dmn_issue(message, filename, table))
    issues += _rule_issues(table, filename) + _cell_issues(root, filename)
    if issues:
        return None, issues
    text = etree.tostring(root, encoding="unicode")
    return DecisionFile(
        filename, text, root, decision.get("id") or "", decision.get("name") or ""
    ), []


def _twice(decision: DecisionFile, other: DecisionFile, root) -> DiagramIssue:
    message = say(
        "keputusan '%(id)s' ada di dua berkas (%(first)s dan %(second)s); beri setiap keputusan "
        "id sendiri",
        id=decision.decision_id,
        first=other.filename,
        second=decision.filename,
    )
    return dmn_issue(message, decision.filename, line=root.sourceline)


def read_decisions(
    files: Sequence[tuple[str, bytes]],
) -> tuple[dict[str, DecisionFile], list[DiagramIssue]]:
    """{decision id: file} of the bundle's ``.dmn`` files, or the issues that refuse them."""
    found: dict[str, DecisionFile] = {}
    issues: list[DiagramIssue] = []
    for raw_name, xml in files:
        filename = os.path.basename(raw_name) or "keputusan.dmn"
        root, problems = read_dmn(xml.encode("utf-8") if isinstance(xml, str) else xml, filename)
        decision = None
        if root is not None:
            decision, problems = _check(root, filename)
        other = found.get(decision.decision_id) if decision is not None else None
        if decision is None:
            issues += problems
        elif other is not None:
            issues.append(_twice(decision, other, root))
        else:
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
            message = say(
                "berkas DMN tidak dapat dibaca (pesan pengurai DMN: %(detail)s); perbaiki bagian "
                "itu di pemodel DMN",
                detail=" ".join(str(exc.args[0]).split()),
            )
            issues.append(dmn_issue(message, decision.filename, line=exc.line_number or None))
        except (KeyError, IndexError, AttributeError, ValueError):
            message = say(
                "berkas DMN tidak lengkap: ada bagian tabel keputusan yang hilang atau tidak "
                "terbaca; buka dan simpan ulang dari pemodel DMN"
            )
            issues.append(dmn_issue(message, decision.filename))
    return issues
