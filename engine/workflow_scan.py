"""What a restored workflow holds now: its ready and failed tasks, its data, its next timer.

Read by every action (``InstanceStore.save`` fills the instance's queryable columns from these)
and by the runner; a walk over the task dicts, cheaper than SpiffWorkflow's tree iterator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.util.task import TaskState

from .serialization import PRUNED


@dataclass
class Scan:
    """One pass over an instance's tasks (a dict walk, cheaper than SpiffWorkflow's tree iterator)."""

    ready_user: list
    ready_automatic: list
    errored: list


def scan(workflow: BpmnWorkflow) -> Scan:
    result = Scan([], [], [])
    workflows = [workflow, *workflow.subprocesses.values()]
    for wf in workflows:
        for task in wf.tasks.values():
            state = task.state
            if state == TaskState.READY:
                (result.ready_user if task.task_spec.manual else result.ready_automatic).append(
                    task
                )
            elif state == TaskState.ERROR:
                result.errored.append(task)
    return result


def completed_user_steps(workflow: BpmnWorkflow) -> set[str]:
    """Element ids of the user tasks completed so far (also those compaction pruned)."""
    pruned = getattr(workflow, PRUNED, None)  # read only: pruned_summary() would create it
    done = set(pruned["completed"]) if pruned else set()
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.tasks.values():
            if task.state == TaskState.COMPLETED and task.task_spec.manual:
                done.add(task.task_spec.bpmn_id)
    return done


def current_data(workflow: BpmnWorkflow, ready: list | None = None) -> dict[str, Any]:
    """The instance's data as people think of it: that of the open tasks, else the last one."""
    if ready is None:
        found = scan(workflow)
        ready = found.ready_user + found.ready_automatic
    if ready:
        merged: dict[str, Any] = {}
        for task in ready:
            merged.update(task.data)
        return merged
    if workflow.last_task is not None:
        return dict(workflow.last_task.data)
    return dict(workflow.data)


def next_timer(workflow: BpmnWorkflow) -> datetime | None:
    deadlines = []
    values = [getattr(event, "value", None) for event in workflow.waiting_events()]
    # an event-based gateway waits for all its events with one definition: its timer's deadline
    # is in the gateway task's internal data
    values += [
        task.internal_data.get("event_value")
        for task in workflow.event_manager.tasks.values()
        if isinstance(task.task_spec.event_definition, MultipleEventDefinition)
    ]
    for value in values:
        if isinstance(value, str):
            try:
                deadlines.append(datetime.fromisoformat(value))
            except ValueError:
                continue
    return min(deadlines) if deadlines else None
