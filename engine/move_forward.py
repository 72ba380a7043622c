"""Moving an instance forward: an open step jumps to a later step of the same flow.

The path is found in the process's spec graph (SpiffWorkflow predicts only a few steps of the
task tree ahead), from an open step to the target. Every step on the way is marked done without
running it (its data passes on unchanged); a gateway on the way takes the branch toward the
target; an embedded subprocess or call activity under way is passed whole (its open steps are
cancelled). What cannot be moved this way is refused with one sentence in Bahasa Indonesia:
a target that is no step, or not ahead of any open step in the same (sub)process, a path through
a parallel, inclusive or event-based gateway (another branch would be left waiting or cut off),
through an end event or a boundary event, or out of one round or instance of a loop or
multi-instance step under way.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import (
    BoundaryEvent,
    EventBasedGateway,
    ReceiveTask,
    SendTask,
)
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.parallel_gateway import ParallelGateway
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.util.task import TaskState

from .errors import EngineError
from .runner import element_name

#: states of a step that is under way (where a move forward can start)
OPEN = TaskState.READY | TaskState.STARTED | TaskState.WAITING | TaskState.ERROR
#: what a path may not cross, with the reason told to the operator
BARRIERS: tuple[tuple[type, str], ...] = (
    (ParallelGateway, "gerbang paralel"),
    (InclusiveGateway, "gerbang inklusif"),
    (EventBasedGateway, "gerbang berbasis peristiwa"),
    (EndEvent, "peristiwa akhir"),
    (BoundaryEvent, "peristiwa batas"),
)


@dataclass(frozen=True)
class ForwardPath:
    """The open task to leave and the specs to pass, the last one being the target."""

    start: Any  # SpiffWorkflow's Task (untyped)
    specs: tuple[Any, ...]

    @property
    def passed(self) -> list[str]:
        """Element ids marked done without running (the open step and those on the way)."""
        ids = [self.start.task_spec.bpmn_id]
        ids += [s.bpmn_id for s in self.specs[:-1] if getattr(s, "bpmn_id", None)]
        return ids


def is_step(spec) -> bool:
    """An activity an operator can send an instance to (not an event, gateway or helper)."""
    if not getattr(spec, "bpmn_id", None):
        return False
    if isinstance(spec, (ReceiveTask, SendTask)):
        return True
    if isinstance(spec, (CatchingEvent, ThrowingEvent)):
        return False
    return (
        not any(isinstance(spec, kind) for kind, _ in BARRIERS)
        and "Gateway" not in type(spec).__name__
    )


def _barrier(spec) -> str | None:
    for kind, word in BARRIERS:
        if isinstance(spec, kind):
            return word
    return None


def _open_tasks(workflow) -> Iterator:
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.get_tasks(state=OPEN):
            if getattr(task.task_spec, "bpmn_id", None) and not isinstance(
                task.task_spec, (BoundaryEvent, LoopTask)
            ):
                yield task


def _walk(start_spec) -> dict:
    """Every spec reachable from ``start_spec``: spec -> (previous spec, barrier word or None)."""
    seen: dict = {start_spec: (None, None)}
    todo = deque([start_spec])
    while todo:
        spec = todo.popleft()
        for nxt in spec.outputs:
            if nxt not in seen:
                seen[nxt] = (spec, seen[spec][1] or _barrier(nxt))
                todo.append(nxt)
    return seen


def _path_to(seen: dict, target) -> tuple:
    specs = []
    spec = target
    while seen[spec][0] is not None:
        specs.append(spec)
        spec = seen[spec][0]
    return tuple(reversed(specs))


def steps_ahead(workflow) -> list[tuple[str, str]]:
    """Steps the instance can be moved forward to (element id, name), nearest first."""
    found: dict[str, str] = {}
    for task in _open_tasks(workflow):
        if _inside_multi_instance(task):
            continue
        for spec, (previous, barrier) in _walk(task.task_spec).items():
            if previous is not None and not barrier and is_step(spec):
                found.setdefault(spec.bpmn_id, element_name(spec))
    open_ids = {t.task_spec.bpmn_id for t in _open_tasks(workflow)}
    return [(i, name) for i, name in found.items() if i not in open_ids]


def _inside_multi_instance(task) -> bool:
    """One iteration or instance of a loop or multi-instance step still under way."""
    parent = task.parent
    return (
        parent is not None
        and isinstance(parent.task_spec, LoopTask)
        and not parent.has_state(TaskState.FINISHED_MASK)
    )


def forward_path(workflow, element_id: str) -> ForwardPath:
    """The way from an open step to ``element_id``, or an EngineError saying why there is none."""
    blocked: str | None = None
    for task in _open_tasks(workflow):
        looping = _inside_multi_instance(task)
        seen = _walk((task.parent if looping else task).task_spec)
        target = next((s for s in seen if getattr(s, "bpmn_id", None) == element_id), None)
        if target is None or seen[target][0] is None:
            continue
        name = element_name(target)
        if not is_step(target):
            raise EngineError(
                f"'{name}' ({element_id}) bukan langkah kerja (gerbang atau peristiwa); "
                "pilih tugas yang ada sesudahnya"
            )
        if seen[target][1]:
            blocked = (
                f"langkah '{name}' ({element_id}) terletak di seberang {seen[target][1]}; "
                "memajukan permohonan melewatinya akan meninggalkan atau memotong cabang lain; "
                f"pilih langkah sebelum {seen[target][1]} itu, atau selesaikan langkah yang terbuka"
            )
            continue
        if looping:
            blocked = (
                f"langkah '{element_name(task.task_spec)}' yang terbuka adalah satu putaran atau "
                "instans dari langkah berulang (loop atau multi-instance); selesaikan putarannya "
                "dahulu"
            )
            continue
        return ForwardPath(task, _path_to(seen, target))
    raise EngineError(
        blocked
        or f"langkah {_named(workflow, element_id)} tidak terletak di depan langkah yang sedang "
        "terbuka pada alur yang sama; permohonan hanya dapat dimajukan ke langkah sesudahnya"
    )


def _named(workflow, element_id: str) -> str:
    for wf in (workflow, *workflow.subprocesses.values()):
        for spec in wf.spec.task_specs.values():
            if getattr(spec, "bpmn_id", None) == element_id:
                return f"'{element_name(spec)}' ({element_id})"
    return f"'{element_id}'"


def advance(path: ForwardPath) -> None:
    """Mark the open task and the steps on the way done (without running them), choosing at each
    the branch toward the target, so that the target becomes the open step."""
    current = path.start
    for spec in path.specs:
        current = _pass(current, spec)
        if current.state in (TaskState.FUTURE, TaskState.LIKELY, TaskState.MAYBE):
            current._ready()
    _predicted(current)
    _forget_finished_waiting(path.start.workflow.top_workflow)


def _predicted(task) -> None:
    """Give a task reached by the move its children (SpiffWorkflow predicts them on the way)."""
    if not task.children:
        task.task_spec._predict(task, mask=TaskState.PREDICTED_MASK | TaskState.DEFINITE_MASK)


def _pass(task, spec):
    """Leave ``task`` toward ``spec`` and return the child task of ``spec``. A helper task of
    SpiffWorkflow (the split before a step with boundary events, the join after it) runs as
    usual, so the target's boundary events wait again; a BPMN element is marked done."""
    _predicted(task)
    if not getattr(task.task_spec, "bpmn_id", None) and task.state == TaskState.READY:
        task.run()
    else:
        joins = [o for o in task.task_spec.outputs if isinstance(o, BoundaryEventJoin)]
        task._sync_children([spec, *joins], TaskState.FUTURE)
        if isinstance(task.task_spec, SubWorkflowTask):  # its open steps are passed with it
            inner = task.workflow.top_workflow.get_subprocess(task)
            if inner is not None and not inner.completed:
                inner.cancel()
        if task.state != TaskState.COMPLETED:
            task._set_state(TaskState.COMPLETED)
            task.task_spec._on_complete(task)
    return next(c for c in task.children if c.task_spec is spec)


def _forget_finished_waiting(workflow) -> None:
    """Drop from SpiffWorkflow's event manager the waits of tasks passed or removed by the move."""
    manager = workflow.event_manager
    for task_id, task in list(manager.tasks.items()):
        if task.workflow.tasks.get(task_id) is not task or task.has_state(TaskState.FINISHED_MASK):
            manager.tasks.pop(task_id)
