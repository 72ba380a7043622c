"""Reading what happened: the audit log, and the diagram's completed/active elements."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry
from .parser import safe_xml_parser
from .records import HistoryEntry
from .serialization import pruned_summary

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def read_history(session: Session, instance_id: int) -> list[HistoryEntry]:
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.instance_id == instance_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        HistoryEntry(
            r.id,
            r.at,
            r.actor,
            r.action,
            r.element_id,
            r.element_name,
            r.task_id,
            dict(r.data or {}),
            r.on_behalf_of,
            r.acting_kind,
        )
        for r in rows
    ]


@lru_cache(maxsize=64)
def _flows_by_ends(xml: str) -> dict[tuple[str, str], str]:
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    return {
        (f.get("sourceRef"), f.get("targetRef")): f.get("id")
        for f in root.iter(f"{{{BPMN_NS}}}sequenceFlow")
    }


def bpmn_ancestor(task):
    parent = task.parent
    while parent is not None and not getattr(parent.task_spec, "bpmn_id", None):
        parent = parent.parent
    return parent


def element_states(workflow, bpmn_xml: str) -> dict[str, list[str]]:
    """Element ids completed and active, and the sequence flows the instance actually took."""
    completed, active, flows = set(), set(), set()
    ends = _flows_by_ends(bpmn_xml)
    for task in workflow.get_tasks():
        element = getattr(task.task_spec, "bpmn_id", None)
        if not element:
            continue
        if task.state == TaskState.COMPLETED:
            completed.add(element)
        elif task.state == TaskState.WAITING and isinstance(task.task_spec, BoundaryEvent):
            continue  # a boundary timer waiting on its task is not work under way
        elif task.state in (TaskState.READY, TaskState.STARTED, TaskState.WAITING, TaskState.ERROR):
            active.add(element)
        else:
            continue
        parent = bpmn_ancestor(task)
        if parent is not None and parent.state == TaskState.COMPLETED:
            flow = ends.get((parent.task_spec.bpmn_id, element))
            if flow:
                flows.add(flow)
    pruned = pruned_summary(workflow)
    completed |= pruned["completed"]
    flows.update(ends[pair] for pair in pruned["steps"] if pair in ends)
    return {
        "completed": sorted(completed),
        "active": sorted(active - completed),
        "flows": sorted(flows),
    }
