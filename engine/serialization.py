"""Saving and loading instances: the spec once per deployed version, the state per instance.

SpiffWorkflow embeds the whole spec in every saved workflow by default (about
half of the JSON). Here the spec is serialized once when a version is deployed
and each instance's JSON holds only its state; loading rebuilds the workflow
around the version's (cached) spec object.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from datetime import date
from uuid import UUID
from weakref import WeakKeyDictionary

import orjson
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    TaskConverter,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from .call_binding import BoundSubWorkflowConverter, LaksanaWorkflow, done_loading, loading_with
from .parser import serializer_config

_spec_for_load: ContextVar[tuple] = ContextVar("laksana_spec_for_load")
#: the state being loaded was saved by this serializer version (its task dicts can be reused)
_loaded_as_saved: ContextVar[bool] = ContextVar("laksana_loaded_as_saved")
#: UUID text -> UUID while one state loads (``state_from_json``): each id is parsed once, and a
#: task's id, its parent's and children's references and the task map's key are one object, so
#: SpiffWorkflow's lookups match by identity instead of comparing equal UUIDs
_uuids: ContextVar[dict[str, UUID]] = ContextVar("laksana_uuids")
#: workflow -> {task id: (key, task dict)} for CachingTaskConverter; gone with the workflow
_TASK_DICTS: WeakKeyDictionary = WeakKeyDictionary()
#: workflow attribute with what pruned tasks showed on the diagram (``engine.compaction``)
PRUNED = "laksana_pruned"


def pruned_summary(workflow) -> dict[str, set]:
    """{"completed": element ids, "steps": (from, to) element pairs} of pruned tasks."""
    summary = getattr(workflow, PRUNED, None)
    if summary is None:
        summary = {"completed": set(), "steps": set()}
        setattr(workflow, PRUNED, summary)
    return summary


def forget_task_dicts(workflow, task_ids) -> None:
    """Drop cached dicts of tasks that were removed or re-linked (``engine.compaction``)."""
    cache = _TASK_DICTS.get(workflow)
    if cache:
        for task_id in task_ids:
            cache.pop(task_id, None)


def _uuid(text: str) -> UUID:
    """``UUID(text)``, parsed once per load inside ``state_from_json``."""
    memo = _uuids.get(None)
    if memo is None:
        return UUID(text)
    found = memo.get(text)
    if found is None:
        found = memo[text] = UUID(text)
    return found


class StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Like SpiffWorkflow's, minus ``spec``/``subprocess_specs`` (supplied at load time)."""

    def to_dict(self, workflow):
        registry = self.registry
        task_dict = registry.convert_to_dict[
            registry.typenames[Task]
        ]  # the caching converter, no dispatch
        return {
            "data": registry.convert(registry.clean(workflow.data)),
            "correlations": workflow.correlations,
            "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "tasks": {dct["id"]: dct for dct in map(task_dict, workflow.tasks.values())},
            "root": str(workflow.task_tree.id),
            "subprocesses": self.mapping_to_dict(workflow.subprocesses),
            "bpmn_events": registry.convert(workflow.bpmn_events),
            **_pruned_to_dict(workflow),
        }

    def from_dict(self, dct):
        spec, subprocess_specs = _spec_for_load.get()
        workflow = LaksanaWorkflow(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], _uuid, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(_uuid(dct["root"]))
        if _loaded_as_saved.get(False):
            _seed_task_dicts(workflow, dct["tasks"])
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        if "pruned" in dct:
            setattr(
                workflow,
                PRUNED,
                {
                    "completed": set(dct["pruned"]["completed"]),
                    "steps": {tuple(pair) for pair in dct["pruned"]["steps"]},
                },
            )
        return workflow


def _pruned_to_dict(workflow) -> dict:
    summary = getattr(workflow, PRUNED, None)
    if not summary:
        return {}
    return {
        "pruned": {
            "completed": sorted(summary["completed"]),
            "steps": sorted(list(pair) for pair in summary["steps"]),
        }
    }


def _task_key(task) -> tuple:
    """What a task's dict depends on (``CachingTaskConverter``)."""
    parent = task.parent
    return (
        task.state,
        task.last_state_change,
        task.triggered,
        tuple(task._children),
        None if parent is None else (parent.state, parent.last_state_change),
    )


def _seed_task_dicts(workflow, task_dicts: dict) -> None:
    """A workflow restored from JSON of this serializer version starts with every task's dict
    known: the dict it was saved as is what it converts to until it changes, so a cache miss
    (another worker saved the instance last) no longer converts every task again at save."""
    _TASK_DICTS[workflow] = {
        task_id: (_task_key(task), task_dicts[str(task_id)])
        for task_id, task in workflow.tasks.items()
    }


class CachingTaskConverter(TaskConverter):
    """SpiffWorkflow's task converter, remembering each task's dict until the task changes.

    A task's dict depends on its own state, data, internal data and children, and
    (through the data delta) on its parent's data. Data and internal data change
    only together with a state change in this engine (forms and handler results
    are merged right before a task runs; nested values are replaced, never
    mutated in place), so the key below decides when to convert again; the
    exception is a STARTED task (multi-instance, sub-process), whose data
    gathers its children's results while its state stays put, so it and its
    children are always converted afresh. Tests compare this output with
    SpiffWorkflow's own at every step of the SOP and of a multi-instance run.
    """

    def to_dict(self, task):
        parent = task.parent
        if task.state == TaskState.STARTED or (
            parent is not None and parent.state == TaskState.STARTED
        ):
            # a started task (a multi-instance or sub-process task) gathers its children's
            # results into its data while its state stays put: never cached, nor its children
            return super().to_dict(task)
        key = _task_key(task)
        # Kept beside the workflow, not on the task: one more attribute on Task objects would cost
        # CPython's shared instance dictionaries and slow SpiffWorkflow's own stepping by about 10 %.
        cache = _TASK_DICTS.get(task.workflow)
        if cache is None:
            cache = _TASK_DICTS[task.workflow] = {}
        cached = cache.get(task.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        dct = super().to_dict(task)
        cache[task.id] = (key, dct)
        return dct

    def from_dict(self, dct, workflow):
        """The task as SpiffWorkflow 3.2's converter restores it, but with its ids from ``_uuid``:
        parsing the same UUID strings again and comparing equal, distinct UUIDs on every lookup
        were a third of a restore. ``tests/engine/test_persistence.py`` compares both restores."""
        if _uuids.get(None) is None:  # outside state_from_json: SpiffWorkflow's own
            return super().from_dict(dct, workflow)
        spec = workflow.spec.task_specs.get(dct["task_spec"])
        task = self.target_class(workflow, spec, state=dct["state"], id=_uuid(dct["id"]))
        task._parent = None if dct["parent"] is None else _uuid(dct["parent"])
        task._children = [_uuid(child) for child in dct["children"]]
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct["triggered"]
        task.internal_data = self.registry.restore(dct["internal_data"])
        if isinstance(spec, CatchingEvent) and task.has_state(TaskState.WAITING):
            task.workflow.top_workflow.event_manager.add_task(task)
        task.data = self._restored_data(dct, task.parent)
        return task

    def _restored_data(self, dct, parent) -> dict:
        """The saved data, or the parent's data with the saved delta applied."""
        delta = dct.get("delta")
        if not delta or parent is None:
            return self.registry.restore(dct["data"])
        data = DeepMerge.merge({}, parent.data)
        data.update(self.registry.restore(delta.get("updates", {})))
        for key in delta.get("deletions", {}):
            data.pop(key, None)
        return data


def decisions_in_spec(text: str) -> dict[str, str]:
    """{filename: DMN text} kept with a version's spec JSON (``WorkflowCodec.spec_to_json``)."""
    return dict(json.loads(text).get("dmn") or {})


class WorkflowCodec:
    def __init__(self) -> None:
        config = serializer_config()
        config[BpmnWorkflow] = StateOnlyWorkflowConverter
        config[Task] = CachingTaskConverter
        config[BpmnSubWorkflow] = BoundSubWorkflowConverter
        registry = BpmnWorkflowSerializer.configure(config)
        registry.typenames[LaksanaWorkflow] = registry.typenames[BpmnWorkflow]
        registry.register(
            date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"])
        )
        self.serializer = BpmnWorkflowSerializer(registry)
        self.version = self.serializer.VERSION

    # -- specs (once per deployed version)
    def spec_to_json(
        self, spec, subprocess_specs: dict, decisions: dict[str, str] | None = None
    ) -> str:
        """The version's spec; ``decisions`` ({filename: DMN text}) are kept beside it (the
        business rule tasks' parsed tables are in the spec itself)."""
        registry = self.serializer.registry
        dct = {
            "spec": registry.convert(spec),
            "subprocess_specs": {name: registry.convert(s) for name, s in subprocess_specs.items()},
        }
        if decisions:
            dct["dmn"] = dict(decisions)
        return json.dumps(dct)

    def spec_from_json(self, text: str):
        dct = json.loads(text)
        registry = self.serializer.registry
        spec = registry.restore(dct["spec"])
        subprocess_specs = {
            name: registry.restore(s) for name, s in dct["subprocess_specs"].items()
        }
        return spec, subprocess_specs

    # -- instance state
    def state_to_json(self, workflow: BpmnWorkflow) -> str:
        dct = self.serializer.to_dict(workflow)
        dct[self.serializer.VERSION_KEY] = self.version
        try:
            return orjson.dumps(dct).decode("utf-8")
        except TypeError:  # a value orjson does not know: let SpiffWorkflow's encoder deal with it
            return self.serializer.serialize_json(workflow)

    def state_from_json(self, text: str, spec, subprocess_specs, called_specs=None) -> BpmnWorkflow:
        """The workflow saved as ``text``, around the version's ``spec``; ``called_specs``
        (definition id -> (spec, subprocess specs)) gives the specs of the called versions its
        run-time bound call activities started (``engine.call_binding``)."""
        dct = orjson.loads(text)
        as_saved = _loaded_as_saved.set(dct.get(self.serializer.VERSION_KEY) == self.version)
        self.serializer.migrate(dct)
        token = _spec_for_load.set((spec, subprocess_specs))
        called = loading_with(called_specs or _no_called_specs)
        uuids = _uuids.set({})
        try:
            return self.serializer.from_dict(dct)
        finally:
            _uuids.reset(uuids)
            done_loading(called)
            _spec_for_load.reset(token)
            _loaded_as_saved.reset(as_saved)


def _no_called_specs(definition_id: int) -> tuple:
    raise LookupError(f"state names called version {definition_id}, and no loader was given")
