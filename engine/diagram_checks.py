"""What SpiffWorkflow's parse does not check, checked before deploying (messages in Indonesian).

Only elements of the BPMN namespace count: a ``<zeebe:userTask/>`` inside
``extensionElements`` is an extension, not a user task. Each issue names the
element (kind, name, id), its line, and what to change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from .errors import DiagramIssue
from .flow_loops import endless_loop_issues
from .parser import CAMUNDA, role_code
from .refusals import BPMN_NS, describe, is_bpmn, issue_at, local_name
from .scripting import check_syntax
from .texts import say, word

B = f"{{{BPMN_NS}}}"
#: elements that must have an outgoing sequence flow to be executable
NEEDS_OUTGOING = frozenset(
    {
        "startEvent",
        "task",
        "userTask",
        "serviceTask",
        "scriptTask",
        "manualTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "callActivity",
        "subProcess",
        "transaction",
        "exclusiveGateway",
        "parallelGateway",
        "inclusiveGateway",
        "eventBasedGateway",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
    }
)
#: tasks a person does: they need a role (a named lane or camunda:candidateGroups)
HUMAN_KINDS = frozenset({"userTask", "manualTask", "task"})
#: kinds SpiffWorkflow cannot run at all
UNSUPPORTED = {
    "complexGateway": "ganti dengan gerbang eksklusif, inklusif atau paralel",
    "choreographyTask": "koreografi tidak dijalankan; modelkan sebagai proses",
}
#: the words for the two ends of a sequence flow
FLOW_ENDS = (("sourceRef", "asal"), ("targetRef", "tujuan"))


def _flow_container(element) -> bool:
    return local_name(element) in ("process", "subProcess", "transaction", "adHocSubProcess")


def _is_event_subprocess(element) -> bool:
    return local_name(element) == "subProcess" and element.get("triggeredByEvent") == "true"


def _needs_outgoing(element, outgoing: set[str]) -> bool:
    kind = local_name(element)
    if kind not in NEEDS_OUTGOING or element.get("id") in outgoing:
        return False
    if _is_event_subprocess(element) or element.get("isForCompensation") == "true":
        return False
    parent = element.getparent()
    if kind == "startEvent" and parent is not None and _is_event_subprocess(parent):
        return False  # checked with its event subprocess
    if kind == "boundaryEvent" and element.find(f"{B}compensateEventDefinition") is not None:
        return False
    # inside an embedded subprocess, the last element may simply end it
    return parent is not None and local_name(parent) == "process"


def lanes(process) -> dict[str, str | None]:
    lane_of: dict[str, str | None] = {}
    for lane in process.iter(f"{B}lane"):
        for ref in lane.findall(f"{B}flowNodeRef"):
            lane_of[(ref.text or "").strip()] = lane.get("name")
    return lane_of


def _check_flows(process, add: Callable) -> None:
    ids = {el.get("id") for el in process.iter() if el.get("id")}
    for flow in process.iter(f"{B}sequenceFlow"):
        for end, end_word in FLOW_ENDS:
            if flow.get(end) not in ids:
                add(
                    flow,
                    say(
                        "%(el)s menunjuk %(end)s '%(ref)s' yang tidak ada di proses; perbaiki "
                        "%(attribute)s",
                        el=describe(flow),
                        end=word(end_word),
                        ref=flow.get(end),
                        attribute=end,
                    ),
                )
        condition = flow.find(f"{B}conditionExpression")
        if condition is not None and (condition.text or "").strip():
            problem = check_syntax(condition.text, "eval")
            if problem:
                add(
                    flow,
                    say(
                        "syarat pada %(el)s bukan ekspresi Python yang sah (%(problem)s); tulis "
                        'misalnya keputusan == "tolak"',
                        el=describe(flow),
                        problem=problem,
                    ),
                )


def _check_element(
    element,
    lane_of: dict,
    outgoing: set[str],
    add: Callable,
    topics: Collection[str],
    decisions: Collection[str],
) -> None:
    kind = local_name(element)
    if _needs_outgoing(element, outgoing):
        add(
            element,
            say(
                "%(el)s tidak punya aliran keluar; sambungkan ke elemen berikutnya",
                el=describe(element),
            ),
        )
    if kind in UNSUPPORTED:
        add(
            element,
            say(
                "%(el)s belum dapat dijalankan mesin proses: %(change)s",
                el=describe(element),
                change=say(UNSUPPORTED[kind]),
            ),
        )
    if kind == "scriptTask":
        script = element.find(f"{B}script")
        problem = (
            check_syntax(script.text or "", "exec") if script is not None else word("skrip kosong")
        )
        if problem:
            add(
                element,
                say(
                    "skrip %(el)s bukan Python yang sah (%(problem)s); perbaiki skripnya",
                    el=describe(element),
                    problem=problem,
                ),
            )
    if kind in ("timeDuration", "timeDate", "timeCycle"):
        event = element.getparent().getparent()
        problem = check_syntax(element.text or "", "eval")
        if problem:
            add(
                event,
                say(
                    "ungkapan waktu pada %(el)s bukan ekspresi Python yang sah (%(problem)s); "
                    'durasi ditulis berkutip, misalnya "PT5M"',
                    el=describe(event),
                    problem=problem,
                ),
            )
    if kind == "serviceTask":
        _check_service_task(element, add, topics)
    if kind == "businessRuleTask":
        _check_business_rule_task(element, add, decisions)
    if kind == "userTask":
        _check_conditions(element, add)
    if kind in HUMAN_KINDS:
        groups = (element.get(f"{CAMUNDA}candidateGroups") or "").strip()
        if not groups and not role_code(lane_of.get(element.get("id"))):
            add(
                element,
                say(
                    "%(el)s tidak dapat dikerjakan siapa pun: letakkan di lajur (lane) yang "
                    "bernama peran, atau isi camunda:candidateGroups",
                    el=describe(element),
                )
                + _foreign_assignment(element),
            )


def _check_conditions(element, add: Callable) -> None:
    """``required_if`` (a constraint) and ``visible_if`` (a field property) name another field of
    the same form and the values that count: ``other_field=value|value``."""
    fields = list(element.iter(f"{CAMUNDA}formField"))
    ids = {field.get("id") for field in fields}
    for field in fields:
        configs = [
            (c.get("name"), c.get("config") or "")
            for c in field.iter(f"{CAMUNDA}constraint")
            if c.get("name") == "required_if"
        ] + [
            ("visible_if", p.get("value") or "")
            for p in field.iter(f"{CAMUNDA}property")
            if p.get("id") == "visible_if"
        ]
        for name, config in configs:
            other, _sep, wanted = config.partition("=")
            if other.strip() in ids - {field.get("id")} and wanted.strip():
                continue
            add(
                element,
                say(
                    'isian %(field)s pada %(el)s: %(name)s "%(config)s" harus berbentuk '
                    "isian_lain=nilai (isian lain pada formulir yang sama)",
                    field=_field_name(field),
                    el=describe(element),
                    name=name,
                    config=config,
                ),
            )


def _field_name(field) -> str:
    """A form field as people know it: 'Label' (id), or its id when it has no label."""
    label, field_id = " ".join((field.get("label") or "").split()), field.get("id")
    return f"'{label}' ({field_id})" if label and label != field_id else f"'{field_id}'"


def _check_service_task(element, add: Callable, topics: Collection[str]) -> None:
    known = ", ".join(sorted(topics))
    topic = element.get(f"{CAMUNDA}topic")
    if element.get(f"{CAMUNDA}type") != "external" or not topic:
        add(
            element,
            say(
                '%(el)s perlu camunda:type="external" dan camunda:topic (salah satu dari: '
                "%(known)s)",
                el=describe(element),
                known=known,
            )
            + _foreign_service(element),
        )
    elif topic not in topics:
        add(
            element,
            say(
                "%(el)s memakai topik '%(topic)s' yang tidak dikenal (yang dikenal: %(known)s)",
                el=describe(element),
                topic=topic,
                known=known,
            ),
        )


#: how other tools say what a service task does, which the engine does not read
FOREIGN_SERVICE = (
    ("{http://camunda.org/schema/zeebe/1.0}taskDefinition", "zeebe:taskDefinition (Camunda 8)"),
    (f"{CAMUNDA}class", "camunda:class (kelas Java)"),
    (f"{CAMUNDA}delegateExpression", "camunda:delegateExpression"),
    (f"{CAMUNDA}expression", "camunda:expression"),
)


def _foreign_service(element) -> str:
    """'; <what> tidak dibaca ...' when the task says what it does in another tool's way."""
    for name, words in FOREIGN_SERVICE:
        if element.get(name) is not None or element.find(f".//{name}") is not None:
            return say(
                "; %(what)s tidak dibaca oleh Laksana, ganti dengan topik itu", what=word(words)
            )
    return ""


def _foreign_assignment(element) -> str:
    found = element.find(".//{http://camunda.org/schema/zeebe/1.0}assignmentDefinition")
    if found is None:
        return ""
    return say("; zeebe:assignmentDefinition (Camunda 8) tidak dibaca oleh Laksana")


def _check_business_rule_task(element, add: Callable, decisions: Collection[str]) -> None:
    ref = (element.get(f"{CAMUNDA}decisionRef") or "").strip()
    known = ", ".join(sorted(decisions)) or word("tidak ada")
    if not ref:
        add(
            element,
            say(
                "%(el)s tidak menyebut tabel keputusan: isi camunda:decisionRef dengan id "
                "keputusan DMN (yang diterapkan bersamanya: %(known)s)",
                el=describe(element),
                known=known,
            ),
        )
    elif ref not in decisions:
        add(
            element,
            say(
                "%(el)s memanggil keputusan DMN '%(ref)s' (camunda:decisionRef) yang tidak ada "
                "di berkas .dmn yang diterapkan bersamanya (yang ada: %(known)s); sertakan "
                "berkas .dmn-nya atau perbaiki decisionRef",
                el=describe(element),
                ref=ref,
                known=known,
            ),
        )


def semantic_issues(
    root, filename: str, topics: Collection[str] = (), decisions: Collection[str] = ()
) -> list[DiagramIssue]:
    """Issues of every executable process in the diagram (empty when there are none).

    ``topics`` are the registered service topics; a service task naming another is an issue.
    ``decisions`` are the DMN decision ids deployed with the diagram; a business rule task
    naming another is an issue.
    """
    issues: list[DiagramIssue] = []

    def add(element, message: str) -> None:
        issues.append(issue_at(element, message, filename))

    for process in root.iter(f"{B}process"):
        if process.get("isExecutable", "false") != "true":
            continue
        _check_flows(process, add)
        lane_of = lanes(process)
        outgoing = {f.get("sourceRef") for f in process.iter(f"{B}sequenceFlow")}
        for element in process.iter():
            if is_bpmn(element) and not inside_extensions(element):
                _check_element(element, lane_of, outgoing, add, topics, decisions)
        issues += endless_loop_issues(process, filename)
    return issues


def inside_extensions(element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if local_name(parent) == "extensionElements":
            return True
        parent = parent.getparent()
    return False


def flow_node_count(root) -> int:
    """Flow nodes (tasks, events, gateways, subprocesses) of the diagram's processes."""
    return sum(
        1
        for process in root.iter(f"{B}process")
        for el in process.iter()
        if is_bpmn(el) and el.get("id") and local_name(el) in NEEDS_OUTGOING | {"endEvent"}
    )
