"""The processes a diagram's call activities call: found, pinned to one version, never a cycle.

A call activity names its process (``calledElement``) and may pin a version
(``engine.call_versions``); the process is in the same file or deployed before
(``DeployedLookup``). Refused: a call naming no process, a process neither here nor
deployed, a pinned version not deployed, and a process that calls back into the
caller, directly or through others (it could never finish).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .call_versions import pinned_version, version_clash
from .errors import DiagramIssue
from .parser import safe_xml_parser
from .refusals import BPMN_NS, describe, issue_at, local_name
from .texts import say

#: (process id, pinned version or None for the latest) -> that deployed version's XML
DeployedLookup = Callable[[str, int | None], str | None]


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


def called_files(root, filename: str, deployed: DeployedLookup | None):
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
