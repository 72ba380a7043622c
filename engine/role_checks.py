"""The roles a diagram names, and the issues for those the office does not know yet.

A human task (user, manual or plain task) names its role by ``camunda:candidateGroups`` or,
without it, by its lane's name made a code (``engine.parser.role_code``). Deploy refuses a role
the roles table lacks unless the analyst asks to create the missing roles (``engine.roles``).
"""

from __future__ import annotations

from collections.abc import Collection

from .diagram_checks import HUMAN_KINDS, B, inside_extensions, lanes
from .errors import DiagramIssue
from .parser import CAMUNDA, role_code
from .refusals import describe, is_bpmn, issue_at, local_name
from .texts import say, word


def named_roles(root) -> list[tuple[object, str, str]]:
    """(element, role code, the name it was written as) for each role the executable processes'
    human tasks name: their ``camunda:candidateGroups``, else their lane's name as a code."""
    found = []
    for process in root.iter(f"{B}process"):
        if process.get("isExecutable", "false") != "true":
            continue
        lane_of = lanes(process)
        for element in process.iter():
            if not is_bpmn(element) or local_name(element) not in HUMAN_KINDS:
                continue
            if inside_extensions(element):
                continue
            groups = (element.get(f"{CAMUNDA}candidateGroups") or "").strip()
            if groups:
                found += [(element, g.strip(), g.strip()) for g in groups.split(",") if g.strip()]
                continue
            lane = lane_of.get(element.get("id"))
            code = role_code(lane)
            if code:
                found.append((element, code, (lane or "").strip()))
    return found


def unknown_role_issues(
    root, filename: str, known: Collection[str]
) -> tuple[list[DiagramIssue], dict[str, str]]:
    """Issues for the roles the diagram names that ``known`` lacks, and code -> name to create
    them with (the lane's name, or the code)."""
    issues: list[DiagramIssue] = []
    missing: dict[str, str] = {}
    listed = ", ".join(sorted(known)) or word("(belum ada)")
    for element, code, written in named_roles(root):
        if code in known:
            continue
        missing.setdefault(code, written if written and written != code else code)
        issues.append(
            issue_at(
                element,
                say(
                    "%(el)s menyebut peran '%(code)s' yang belum dikenal (peran yang dikenal: "
                    "%(listed)s); tambahkan peran itu di Admin > Peran, perbaiki lajur atau "
                    "camunda:candidateGroups, atau terapkan sambil membuat peran baru",
                    el=describe(element),
                    code=code,
                    listed=listed,
                ),
                filename,
            )
        )
    return issues, missing
