"""Call activities that run the called process's latest version at the moment the call starts.

Camunda 7 resolves ``calledElementBinding="latest"`` (and a call without a binding) at run time;
so does Laksana. A deployed version's spec still has the called process compiled in (the deploy
checks read it, and ``deployment`` and ``version`` bindings run it), but a call activity parsed
with the run-time binding (``BoundCallActivity.binding == "latest"``) asks the instance's
``CalledVersions`` (set by ``engine.instances.InstanceStore`` on every load, with that action's
session) for the latest deployed version of the called process when the call starts, and runs
that version's spec in a sub-workflow that remembers the version's definition id.

The instance state saves that id with the sub-workflow (never the spec: specs are stored once per
deployed version) and a restore rebuilds the sub-workflow around that version's spec, so an
instance already inside a called process finishes the version it started. Processes nested in it
(embedded and event subprocesses, calls with another binding) take their specs from that
version's set, not from the caller's. Versions deployed before the binding was read have plain
``CallActivity`` specs and keep running the version compiled into them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.task_parsers import SubprocessParser
from SpiffWorkflow.bpmn.serializer.default.task_spec import SubWorkflowConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnSubWorkflowConverter
from SpiffWorkflow.bpmn.specs.defaults import CallActivity
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CallActivityParser

#: the binding resolved when the call starts (no ``calledElementBinding``, or ``latest``)
RUN_TIME = "latest"
#: attributes of a sub-workflow bound at run time: its version's definition id, its spec set
_DEFINITION = "laksana_definition_id"
_SCOPE = "laksana_scope_specs"
#: the state key of a bound sub-workflow's definition id
_SAVED_KEY = "called_definition_id"
_specs_for_load: ContextVar[Callable[[int], tuple]] = ContextVar("laksana_called_specs")


@dataclass(frozen=True)
class CalledVersions:
    """What a running instance asks about other deployed processes (one action's session)."""

    #: process id -> definition id of its latest deployed version
    latest_id: Callable[[str], int]
    #: definition id -> (spec, subprocess specs) of that version
    specs: Callable[[int], tuple]


class BoundCallActivity(CallActivity):
    """A ``bpmn:callActivity`` that knows its ``camunda:calledElementBinding`` (``latest`` when
    none is given; None for a collaboration's participants, which SpiffWorkflow builds alike)."""

    def __init__(self, wf_spec, bpmn_id, subworkflow_spec, binding=None, **kwargs):
        super().__init__(wf_spec, bpmn_id, subworkflow_spec, **kwargs)
        self.binding = binding


class BoundCallActivityParser(CallActivityParser):
    def create_task(self):
        binding = (self.node.get(f"{{{CAMUNDA_MODEL_NS}}}calledElementBinding") or "").strip()
        return self.spec_class(
            self.spec,
            self.bpmn_id,
            subworkflow_spec=SubprocessParser.get_call_activity_spec(self),
            binding=binding or RUN_TIME,
            **self.bpmn_attributes,
        )


class BoundCallActivityConverter(SubWorkflowConverter):
    def to_dict(self, spec):
        dct = super().to_dict(spec)
        dct["binding"] = spec.binding
        return dct


class LaksanaWorkflow(BpmnWorkflow):
    """SpiffWorkflow's workflow, starting a run-time bound call in the called process's latest
    version and any other subprocess from the spec set of the version it runs in."""

    #: set by the instance store on every load; without it a call runs the compiled-in version
    called_versions: CalledVersions | None = None

    def create_subprocess(self, my_task, spec_name):
        resolver = self.called_versions
        if getattr(my_task.task_spec, "binding", None) == RUN_TIME and resolver is not None:
            definition_id = resolver.latest_id(spec_name)
            spec, specs = resolver.specs(definition_id)
            subprocess = BpmnSubWorkflow(spec, parent_task_id=my_task.id, top_workflow=self)
            _bind(self, subprocess, definition_id, specs)
        else:
            spec = specs_in_scope(my_task.workflow)[spec_name]
            subprocess = BpmnSubWorkflow(spec, parent_task_id=my_task.id, top_workflow=self)
        self.subprocesses[my_task.id] = subprocess
        return subprocess


def _bind(top, subprocess, definition_id: int, specs: dict) -> None:
    setattr(subprocess, _DEFINITION, definition_id)
    setattr(subprocess, _SCOPE, specs)
    # SpiffWorkflow asks the top workflow's specs whether a nested subprocess exists before it
    # creates one: name this version's too (a new dict: the cached one is shared by instances)
    if not specs.keys() <= top.subprocess_specs.keys():
        top.subprocess_specs = {**specs, **top.subprocess_specs}


def _scope(workflow):
    """The nearest sub-workflow bound at run time holding ``workflow`` (itself), or None."""
    current = workflow
    while current is not None:
        if getattr(current, _SCOPE, None) is not None:
            return current
        current = current.parent_workflow
    return None


def specs_in_scope(workflow) -> dict:
    """The subprocess specs of the deployed version ``workflow`` runs in."""
    bound = _scope(workflow)
    return getattr(bound, _SCOPE) if bound is not None else workflow.top_workflow.subprocess_specs


def in_own_scope(workflow) -> bool:
    """``workflow`` runs in its instance's own version (not in a version a call bound at run
    time): moving the instance to another version of its process concerns it."""
    return _scope(workflow) is None


def replace_own_specs(top, specs: dict) -> None:
    """Give the instance another version's subprocess specs (a migration), keeping the names of
    the called versions its bound sub-workflows run."""
    top.subprocess_specs = specs
    for subprocess in top.subprocesses.values():
        scoped = getattr(subprocess, _SCOPE, None)
        if scoped is not None:
            _bind(top, subprocess, getattr(subprocess, _DEFINITION), scoped)


def definition_in_scope(workflow) -> int | None:
    """The definition id of the called version ``workflow`` runs in; None: the instance's own."""
    bound = _scope(workflow)
    return getattr(bound, _DEFINITION) if bound is not None else None


class BoundSubWorkflowConverter(BpmnSubWorkflowConverter):
    """Saves a bound sub-workflow's definition id and restores it around that version's spec."""

    def to_dict(self, workflow):
        dct = super().to_dict(workflow)
        definition_id = getattr(workflow, _DEFINITION, None)
        if definition_id is not None:
            dct[_SAVED_KEY] = definition_id
        return dct

    def from_dict(self, dct, task, top_workflow):
        definition_id = dct.get(_SAVED_KEY)
        if definition_id is None:
            spec = specs_in_scope(task.workflow).get(task.task_spec.spec)
            subprocess = self.target_class(spec, task.id, top_workflow, deserializing=True)
        else:
            spec, specs = _specs_for_load.get()(definition_id)
            subprocess = self.target_class(spec, task.id, top_workflow, deserializing=True)
            _bind(top_workflow, subprocess, definition_id, specs)
        subprocess.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=subprocess)
        subprocess.task_tree = subprocess.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(subprocess, dct)
        return subprocess


def loading_with(specs: Callable[[int], tuple]):
    """Make ``specs`` (definition id -> (spec, subprocess specs)) the loader of bound
    sub-workflows while a state is restored; returns the token to ``done_loading``."""
    return _specs_for_load.set(specs)


def done_loading(token) -> None:
    _specs_for_load.reset(token)
