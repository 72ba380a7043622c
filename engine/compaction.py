"""Keeping an instance's task tree small however often its work is sent back.

SpiffWorkflow keeps every task an instance ever ran in one tree: each rework loop (the Kasi
sends the data back, the operator extracts it again) adds its steps below the previous ones, so
the stored state and the cost of every action grow with the loops. The audit log already keeps
the whole history, so the finished part of the tree above the work still open can go:

the *live* tasks (everything not completed or cancelled: ready, waiting, started, errored and
the predicted ones) have a deepest common ancestor; every task outside its subtree has finished
and nothing will look at it again. That ancestor becomes the root's only child and the rest is
dropped, with the sub-processes that hung from dropped tasks. What the instance's diagram must
still show of the dropped part (the elements done and the flows taken) is kept as a small
summary on the workflow (``PRUNED``), saved with the state (``engine.serialization``).

A cut happens only when the tree has grown past ``COMPACT_ABOVE`` tasks, so a normal instance
never pays for it. Moving an instance back (``engine.operations.move``) reaches only the steps
still in the tree.
"""

from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from .history import bpmn_ancestor
from .serialization import forget_task_dicts, pruned_summary

#: tasks in the top-level tree before a cut is tried (a fresh data request has about 40)
COMPACT_ABOVE = 90
_FINISHED = TaskState.COMPLETED | TaskState.CANCELLED


def _common_ancestor(workflow, live: list):
    """The deepest task that is an ancestor of (or is) every live task."""
    tasks = workflow.tasks

    def path(task) -> list:
        chain = []
        while task is not None:
            chain.append(task.id)
            task = tasks.get(task._parent) if task._parent is not None else None
        return chain[::-1]

    common = path(live[0])
    for task in live[1:]:
        ancestors = set(path(task))
        keep = 0
        while keep < len(common) and common[keep] in ancestors:
            keep += 1
        common = common[:keep]
        if len(common) <= 2:
            break
    return tasks[common[-1]] if common else None


def _remember(workflow, dropped: list) -> None:
    summary = pruned_summary(workflow)
    for task in dropped:
        element = getattr(task.task_spec, "bpmn_id", None)
        if not element or task.state != TaskState.COMPLETED:
            continue
        summary["completed"].add(element)
        parent = bpmn_ancestor(task)
        if parent is not None and parent.state == TaskState.COMPLETED:
            summary["steps"].add((parent.task_spec.bpmn_id, element))


def _drop_subprocesses(workflow, dropped_ids: set) -> None:
    """Sub-processes started by dropped tasks go too (and theirs, in turn)."""
    gone = set(dropped_ids)
    changed = True
    while changed:
        changed = False
        for sp_id, sub in list(workflow.subprocesses.items()):
            if sp_id in gone:
                del workflow.subprocesses[sp_id]
                gone.update(sub.tasks)
                changed = True


def compact(workflow, above: int = COMPACT_ABOVE) -> int:
    """Cut the finished part of the top-level tree when it has more than ``above`` tasks;
    returns the number of tasks dropped."""
    tasks = workflow.tasks
    if len(tasks) <= above:
        return 0
    live = [task for task in tasks.values() if not task.state & _FINISHED]
    root = workflow.task_tree
    if not live or root is None:
        return 0
    keep = _common_ancestor(workflow, live)
    if keep is None or keep is root or keep._parent == root.id:
        return 0
    kept = {task.id for task in keep}  # the subtree
    kept.update((keep.id, root.id))
    dropped = [task for task_id, task in tasks.items() if task_id not in kept]
    _remember(workflow, dropped)
    for task in dropped:
        del tasks[task.id]
    keep._parent = root.id
    root._children = [keep.id]
    dropped_ids = {task.id for task in dropped}
    _drop_subprocesses(workflow, dropped_ids)
    if workflow.last_task is not None and workflow.last_task.id not in tasks:
        workflow.last_task = None
    forget_task_dicts(workflow, dropped_ids | {keep.id, root.id})
    return len(dropped)
