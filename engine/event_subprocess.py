"""Interrupting event subprocesses: when one starts, the rest of its (sub)process stops.

SpiffWorkflow 3.2.0 reads no ``isInterrupting`` on an event subprocess's start event and lets
the main flow run on beside it. The parser keeps the flag on the event subprocess's spec
(``engine.parser.TriggeredEventSubprocess.interrupting``); the runner calls
``interrupt_main_flow`` for every task that completes, and the start event of an interrupting
event subprocess cancels every unfinished task of the process that holds it (its open steps,
waiting events and the other event subprocesses), as BPMN says.

SpiffWorkflow also keeps a process whose event subprocess waits for a timer from ending (its end
waits for every branch): ``close_idle_event_subprocesses`` cancels the event subprocesses still
waiting for their start event once nothing else of their process is left to do.

``interrupted`` tells whether an interrupting event subprocess of a (sub)process has fired: a
message then starts none of that (sub)process's event subprocesses (``engine.messages``).
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.control import _EndJoin
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.util.task import TaskState

from .parser import TriggeredEventSubprocess


def _owner(task) -> Any:
    """The event subprocess task whose subworkflow ``task`` belongs to, or None."""
    owner_id = task.workflow.parent_task_id
    if owner_id is None:
        return None
    owner = task.workflow.top_workflow.get_task_from_id(owner_id)
    return owner if isinstance(owner.task_spec, TriggeredEventSubprocess) else None


def interrupt_main_flow(task) -> bool:
    """Cancel the main flow when ``task`` is the start event of an interrupting event subprocess
    that has just caught its event; True when it did."""
    if not isinstance(task.task_spec, StartEvent) or task.state != TaskState.COMPLETED:
        return False
    owner = _owner(task)
    if owner is None or not owner.task_spec.interrupting:
        return False
    keep = {owner.id}
    ancestor = owner.parent
    while ancestor is not None:
        keep.add(ancestor.id)
        ancestor = ancestor.parent
    tops = [
        t
        for t in owner.workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK, skip_subprocesses=True)
        if t.id not in keep
        and (t.parent is None or t.parent.id in keep or t.parent.has_state(TaskState.FINISHED_MASK))
    ]
    for other in tops:
        if not other.has_state(TaskState.FINISHED_MASK):
            other.cancel()
    return bool(tops)


def _idle(task) -> bool:
    """An event subprocess task whose subprocess still waits for its start event."""
    if not isinstance(task.task_spec, TriggeredEventSubprocess):
        return False
    sub = task.workflow.top_workflow.subprocesses.get(task.id)
    if sub is None:
        return task.state != TaskState.STARTED
    return not any(
        isinstance(t.task_spec, StartEvent) and t.state == TaskState.COMPLETED
        for t in sub.get_tasks(skip_subprocesses=True)
    )


def _has_event_subprocess(spec) -> bool:
    return any(isinstance(s, TriggeredEventSubprocess) for s in spec.task_specs.values())


def _completed_without_end(wf) -> bool:
    """A process whose flow an interrupting event subprocess cancelled has no task left but never
    reached its end task: mark it completed (its owner, if a subprocess, then runs on)."""
    if wf.completed or not wf.is_completed():
        return False
    if wf.last_task is not None:
        wf.data.update(wf.last_task.data)
    wf.completed_event(wf)
    return True


def _closing(task) -> bool:
    """The process's end join (waiting for every branch) or the end task after it."""
    return isinstance(task.task_spec, _EndJoin) or (
        task.parent is not None and isinstance(task.parent.task_spec, _EndJoin)
    )


def close_idle_event_subprocesses(workflow) -> bool:
    """In the process and each subprocess whose own flow is done, cancel the event subprocesses
    that never started; True when one was cancelled (the process can then end)."""
    closed = False
    for wf in (workflow, *workflow.subprocesses.values()):
        if not _has_event_subprocess(wf.spec):
            continue
        closed |= _completed_without_end(wf)
        unfinished = wf.get_tasks(state=TaskState.NOT_FINISHED_MASK, skip_subprocesses=True)
        idle = [t for t in unfinished if _idle(t)]
        if not idle:
            continue
        below_idle = {c.id for t in idle for c in t}
        busy = [t for t in unfinished if t.id not in below_idle and not _closing(t)]
        if busy:
            continue
        for task in idle:
            task.cancel()
        for end in wf.get_tasks(state=TaskState.WAITING, skip_subprocesses=True):
            if isinstance(end.task_spec, _EndJoin):
                end.task_spec._update(end)
        closed = True
    return closed


def interrupted(scope) -> bool:
    """True when an interrupting event subprocess of ``scope`` (the process or one subprocess)
    has caught its event: the scope's other event subprocesses may no longer start."""
    return any(
        isinstance(task.task_spec, TriggeredEventSubprocess)
        and task.task_spec.interrupting
        and task.state != TaskState.CANCELLED
        and not _idle(task)
        for task in scope.get_tasks(skip_subprocesses=True)
    )
