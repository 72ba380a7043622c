"""Multi-instance markers read the BPMN way, whichever extension dialect the diagram uses.

SpiffWorkflow's Camunda task parsers read a multi-instance marker only through
``camunda:collection`` / ``camunda:elementVariable`` and refuse the standard
``loopDataInputRef`` / ``inputDataItem`` / ``loopDataOutputRef`` /
``outputDataItem``. Their task specs also rewrite the shared spec object when an
instance starts, so a later instance of the same version can see another
instance's data references. Here every task parser reads the standard elements
with SpiffWorkflow's own BPMN parser, and the Camunda attributes are translated
into the same standard references (the collection is the input, the element
variable each instance's input item, the children's data merged back).
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference
from SpiffWorkflow.bpmn.specs.defaults import (
    ParallelMultiInstanceTask,
    SequentialMultiInstanceTask,
)
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS

MI_SPEC_CLASSES = (ParallelMultiInstanceTask, SequentialMultiInstanceTask)
_CAMUNDA = f"{{{CAMUNDA_MODEL_NS}}}"


class StandardMultiInstanceMixin:
    """Put before a Camunda task parser in the bases: the standard BPMN multi-instance reading."""

    PARALLEL_MI_CLASS = ParallelMultiInstanceTask
    SEQUENTIAL_MI_CLASS = SequentialMultiInstanceTask

    def _add_multiinstance_task(self, loop_characteristics):
        collection = loop_characteristics.get(f"{_CAMUNDA}collection")
        if collection is None:
            return TaskParser._add_multiinstance_task(self, loop_characteristics)
        element = loop_characteristics.get(f"{_CAMUNDA}elementVariable")
        condition = self.xpath("./bpmn:multiInstanceLoopCharacteristics/bpmn:completionCondition")
        original = self.spec.task_specs.pop(self.task.name)
        spec_class = (
            self.SEQUENTIAL_MI_CLASS
            if loop_characteristics.get("isSequential") == "true"
            else self.PARALLEL_MI_CLASS
        )
        self.task = spec_class(
            self.spec,
            original.name,
            task_spec="",
            data_input=TaskDataReference(collection),
            input_item=TaskDataReference(element) if element else None,
            condition=condition[0].text if condition else None,
        )
        self._copy_task_attrs(original, loop_characteristics)


def with_standard_multi_instance(parser_classes: dict) -> dict:
    """The same tag -> (parser, spec) map, each parser class given the standard reading."""
    wrapped = {}
    for tag, (parser_class, spec_class) in parser_classes.items():
        if issubclass(parser_class, TaskParser) and not issubclass(
            parser_class, StandardMultiInstanceMixin
        ):
            parser_class = type(
                parser_class.__name__, (StandardMultiInstanceMixin, parser_class), {}
            )
        wrapped[tag] = (parser_class, spec_class)
    return wrapped
