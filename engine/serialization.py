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

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter

from .parser import serializer_config

_spec_for_load: ContextVar[tuple] = ContextVar("laksana_spec_for_load")


class StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Like SpiffWorkflow's, minus ``spec``/``subprocess_specs`` (supplied at load time)."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct):
        spec, subprocess_specs = _spec_for_load.get()
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


class WorkflowCodec:
    def __init__(self) -> None:
        config = serializer_config()
        config[BpmnWorkflow] = StateOnlyWorkflowConverter
        registry = BpmnWorkflowSerializer.configure(config)
        registry.register(date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"]))
        self.serializer = BpmnWorkflowSerializer(registry)
        self.version = self.serializer.VERSION

    # -- specs (once per deployed version)
    def spec_to_json(self, spec, subprocess_specs: dict) -> str:
        registry = self.serializer.registry
        return json.dumps(
            {
                "spec": registry.convert(spec),
                "subprocess_specs": {name: registry.convert(s) for name, s in subprocess_specs.items()},
            }
        )

    def spec_from_json(self, text: str):
        dct = json.loads(text)
        registry = self.serializer.registry
        spec = registry.restore(dct["spec"])
        subprocess_specs = {name: registry.restore(s) for name, s in dct["subprocess_specs"].items()}
        return spec, subprocess_specs

    # -- instance state
    def state_to_json(self, workflow: BpmnWorkflow) -> str:
        return self.serializer.serialize_json(workflow)

    def state_from_json(self, text: str, spec, subprocess_specs) -> BpmnWorkflow:
        token = _spec_for_load.set((spec, subprocess_specs))
        try:
            return self.serializer.deserialize_json(text)
        finally:
            _spec_for_load.reset(token)
