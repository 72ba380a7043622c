"""A diagram file's checks before SpiffWorkflow parses it: size, XML, DOCTYPE, root, schema.

Limits, the same for the CLI and the web (the web refuses a larger upload
before it gets here): ``MAX_DIAGRAM_BYTES`` per file and ``MAX_FLOW_NODES`` flow
nodes per file (SpiffWorkflow's parser follows a chain of tasks recursively and
runs out of stack at about 490 in a row). A DOCTYPE declaration is refused: a
BPMN file needs none, and entities are the way into XXE and entity bombs.
The schema is SpiffWorkflow's BPMN 2.0 XSD, and the file must hold an executable process.
"""

from __future__ import annotations

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from .diagram_checks import flow_node_count
from .errors import DiagramIssue
from .parser import safe_xml_parser
from .refusals import BPMN_NS, describe, find_element, issue_at, local_name
from .texts import say

NS = {"bpmn": BPMN_NS}
MAX_DIAGRAM_BYTES = 2 * 1024 * 1024
MAX_FLOW_NODES = 300
_validator: BpmnValidator | None = None


def _xsd() -> BpmnValidator:
    global _validator
    if _validator is None:
        _validator = BpmnValidator()
    return _validator


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def read_xml(xml: bytes, filename: str):
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


def schema_issue(tree, filename: str) -> DiagramIssue | None:
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


def process_issues(root, filename: str) -> list[DiagramIssue]:
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
