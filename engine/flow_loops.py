"""Loops of sequence flows with no way out, refused before SpiffWorkflow runs into them.

A loop of flows that passes no gateway able to choose another way (exclusive, inclusive,
event-based, complex) and no step with a boundary event can never be left: SpiffWorkflow's
prediction of the steps ahead follows it until Python's stack runs out (``RecursionError`` at
start). A rework loop goes back through an exclusive gateway, which is fine.
"""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from .errors import DiagramIssue
from .refusals import BPMN_NS, describe, issue_at, local_name
from .texts import say

B = f"{{{BPMN_NS}}}"
#: elements where a loop may be left: gateways that choose
CHOOSING = frozenset(
    {"exclusiveGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}
)
#: the elements whose direct children are flow elements joined by sequence flows
CONTAINERS = ("process", "subProcess", "transaction", "adHocSubProcess")


def _loop_in(container) -> list[str] | None:
    """The ids of one loop without a way out among the container's own flows, if there is one."""
    nodes = {child.get("id"): child for child in container if child.get("id")}
    exits = {node_id for node_id, node in nodes.items() if local_name(node) in CHOOSING}
    exits |= {
        (boundary.get("attachedToRef") or "") for boundary in container.findall(f"{B}boundaryEvent")
    }
    after: dict[str, set[str]] = {}
    for flow in container.findall(f"{B}sequenceFlow"):
        source, target = flow.get("sourceRef") or "", flow.get("targetRef") or ""
        if source in nodes and target in nodes and not {source, target} & exits:
            after.setdefault(target, set()).add(source)
    try:
        TopologicalSorter(after).prepare()
    except CycleError as loop:
        return list(dict.fromkeys(loop.args[1]))
    return None


def endless_loop_issues(process, filename: str) -> list[DiagramIssue]:
    """One issue per container (the process, its subprocesses) holding a loop of flows that can
    never be left."""
    issues = []
    for container in process.iter(*(f"{B}{kind}" for kind in CONTAINERS)):
        loop = _loop_in(container)
        if not loop:
            continue
        first = next(el for el in container if el.get("id") == loop[0])
        issues.append(
            issue_at(
                first,
                say(
                    "%(el)s ada di putaran aliran tanpa jalan keluar (%(ids)s): permohonan akan "
                    "berputar tanpa akhir; arahkan putaran itu lewat gerbang eksklusif yang punya "
                    "aliran keluar dari putaran",
                    el=describe(first),
                    ids=" → ".join(loop + loop[:1]),
                ),
                filename,
            )
        )
    return issues
