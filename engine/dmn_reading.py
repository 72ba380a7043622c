"""A ``.dmn`` file's bytes read as a DMN document, or the one-line refusal of the file.

The first half of checking a decision file (``engine.dmn_checks`` does the rest): its size, XML
that is well formed and without DOCTYPE (the engine's safe parser), a ``definitions`` root in a
DMN 1.1/1.2/1.3 namespace, and SpiffWorkflow's XSD for that namespace. Each refusal is one
sentence through ``engine.texts.say`` (Indonesian; the page's language on the web) naming the
file and the line; ``describe`` names an element of the table (kind, name, id) for both halves.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS

from .errors import DiagramIssue
from .parser import safe_xml_parser
from .refusals import local_name
from .texts import say, word

#: a decision file is small: a table of a few dozen rules
MAX_DECISION_BYTES = 512 * 1024
DMN_NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "https://www.omg.org/spec/DMN/20230324/MODEL/",
}
#: what people call each part of a decision table (single words of ``engine.texts.word``)
DMN_KIND_WORDS = {
    "decision": "keputusan",
    "decisionTable": "tabel keputusan",
    "input": "masukan",
    "output": "keluaran",
    "rule": "aturan",
    "inputEntry": "sel masukan",
    "outputEntry": "sel keluaran",
    "inputExpression": "ungkapan masukan",
}
_validators: dict[str, BpmnValidator] = {}


def describe(element) -> str:
    """ "aturan 'aturan_kilat'", "keputusan 'Tarif layanan' (tarif_layanan)": kind, name, id."""
    kind = local_name(element)
    kind = word(DMN_KIND_WORDS[kind]) if kind in DMN_KIND_WORDS else kind or word("elemen")
    name = element.get("name") or element.get("label")
    ident = element.get("id")
    if name and ident:
        return f"{kind} '{name}' ({ident})"
    return f"{kind} '{ident}'" if ident else kind


def dmn_issue(message: str, filename: str, element=None, line: int | None = None) -> DiagramIssue:
    """An issue of a ``.dmn`` file: at ``element`` (its id and line) or at ``line``."""
    element_id = element.get("id") if element is not None else None
    if line is None and element is not None:
        line = element.sourceline
    return DiagramIssue(message, element_id, line, filename)


def _validator(namespace: str) -> BpmnValidator | None:
    schema = DMN_SCHEMAS.get(namespace)
    if schema is None:
        return None
    if namespace not in _validators:
        _validators[namespace] = BpmnValidator(schema)
    return _validators[namespace]


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _parse(xml: bytes, filename: str) -> tuple[Any, list[DiagramIssue]]:
    if len(xml) > MAX_DECISION_BYTES:
        message = say(
            "berkas DMN terlalu besar: %(size)d byte, paling besar %(limit)d byte; pecah menjadi "
            "beberapa berkas keputusan",
            size=len(xml),
            limit=MAX_DECISION_BYTES,
        )
        return None, [dmn_issue(message, filename)]
    try:
        root = etree.fromstring(xml, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        message = say(
            "berkas DMN bukan XML yang tersusun benar (pesan pengurai: %(detail)s); perbaiki tag "
            "pada baris itu",
            detail=_one_line(exc.msg),
        )
        return None, [dmn_issue(message, filename, line=exc.lineno or None)]
    if etree.ElementTree(root).docinfo.doctype:
        message = say("berkas DMN memuat deklarasi DOCTYPE; hapus deklarasi itu")
        return None, [dmn_issue(message, filename, line=1)]
    return root, []


def _schema_issues(root, filename: str) -> list[DiagramIssue]:
    namespace = etree.QName(root).namespace
    if local_name(root) != "definitions" or namespace not in DMN_NAMESPACES:
        message = say(
            "berkas ini tidak berformat DMN: elemen akarnya harus definitions dengan namespace "
            "DMN 1.1, 1.2 atau 1.3"
        )
        return [dmn_issue(message, filename, line=root.sourceline)]
    validator = _validator(namespace)
    if validator is None:
        return []
    try:
        validator.validate(root, filename)
    except ValidationException as exc:
        message = say(
            "berkas DMN tidak sesuai skema DMN (pesan skema: %(detail)s); simpan ulang dari "
            "pemodel DMN",
            detail=_one_line(exc.args[0] if exc.args else ""),
        )
        return [dmn_issue(message, filename, line=exc.line_number or None)]
    return []


def read_dmn(xml: bytes, filename: str) -> tuple[Any, list[DiagramIssue]]:
    """(root of the DMN document, []) or (None, the issue refusing the file)."""
    root, issues = _parse(xml, filename)
    if root is None:
        return None, issues
    issues = _schema_issues(root, filename)
    return (None, issues) if issues else (root, [])
