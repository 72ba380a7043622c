"""Parsing diagrams: SpiffWorkflow's CamundaParser, taught what Laksana's diagrams say.

SpiffWorkflow 3.2.0's CamundaParser ignores ``camunda:topic`` on service tasks,
reads ``camunda:formData`` only when a ``camunda:formKey`` is present, and has no
notion of ``camunda:candidateGroups``. The task specs below carry those through
parsing and serialization. XML is parsed without entity resolution or network
access (XXE, entity-expansion bombs).
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.event_parsers import (
    CONDITIONAL_EVENT_XPATH,
    ERROR_EVENT_XPATH,
    ESCALATION_EVENT_XPATH,
    MESSAGE_EVENT_XPATH,
    SIGNAL_EVENT_XPATH,
    TIMER_EVENT_XPATH,
)
from SpiffWorkflow.bpmn.parser.task_parsers import SubprocessParser
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.config import (
    MessageEventDefinition as BpmnMessageEventDefinition,
)
from SpiffWorkflow.bpmn.serializer.default.task_spec import (
    MultiInstanceTaskConverter,
    SubWorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.helpers.spec import TaskSpecConverter
from SpiffWorkflow.bpmn.specs.defaults import CallActivity, EventSubprocess, ServiceTask, StartEvent
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.event_parsers import CamundaStartEventParser
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CamundaTaskParser
from SpiffWorkflow.camunda.parser.task_spec import SubWorkflowParser as CamundaSubWorkflowParser
from SpiffWorkflow.camunda.parser.task_spec import UserTaskParser as CamundaUserTaskParser
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.camunda.serializer.task_spec import UserTaskConverter
from SpiffWorkflow.camunda.specs.user_task import Form
from SpiffWorkflow.camunda.specs.user_task import UserTask as CamundaUserTask

from .call_binding import BoundCallActivity, BoundCallActivityConverter, BoundCallActivityParser
from .parse_loops import MI_SPEC_CLASSES, with_standard_multi_instance
from .scripting import current_dispatcher

CAMUNDA = f"{{{CAMUNDA_MODEL_NS}}}"
BPMN_MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def safe_xml_parser() -> etree.XMLParser:
    """An lxml parser for untrusted XML: no entities, no DTD loading, no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
    )


def role_code(lane_name: str | None) -> str | None:
    """Lane names are people's words ("Kabid PIAK"); role codes are slugs ("kabid_piak")."""
    if not lane_name:
        return None
    return re.sub(r"[^a-z0-9]+", "_", lane_name.strip().lower()).strip("_") or None


def split_users(text: str) -> list[str]:
    """``camunda:candidateUsers``: a comma list of usernames and ``${...}`` expressions (a comma
    inside an expression's braces does not split)."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


class Deferred:
    """What the dispatcher returns for a ``camunda:asyncBefore`` task a job will continue."""


DEFERRED = Deferred()


class ExternalServiceTask(ServiceTask):
    """A ``camunda:type="external"`` service task: its topic's handler does the work.

    With ``camunda:asyncBefore="true"`` the dispatcher may defer it (``engine.async_steps``): the
    task then stays STARTED and the step ends before it; a job runs it later."""

    def __init__(self, wf_spec, bpmn_id, topic=None, async_before=False, **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.topic = topic
        self.async_before = bool(async_before)

    def _execute(self, task):
        dispatcher = current_dispatcher()
        if dispatcher is None:
            raise RuntimeError(f"No service dispatcher is active for topic {self.topic!r}")
        result = dispatcher(task, self.topic)
        if result is DEFERRED:
            return None  # STARTED: a job continues the instance from here
        if result:
            task.data.update(result)
        return True


class LaksanaUserTask(CamundaUserTask):
    """A Camunda user task that also remembers its ``camunda:candidateGroups``, and the
    ``camunda:assignee`` / ``camunda:candidateUsers`` it names (usernames or ``${...}``
    expressions over the task data, evaluated when the task becomes ready)."""

    def __init__(
        self,
        wf_spec,
        name,
        form,
        candidate_groups=None,
        assignee=None,
        candidate_users=None,
        **kwargs,
    ):
        super().__init__(wf_spec, name, form, **kwargs)
        self.candidate_groups = list(candidate_groups or [])
        self.assignee = assignee or None
        self.candidate_users = list(candidate_users or [])


class ServiceTaskParser(CamundaTaskParser):
    def create_task(self):
        topic = self.node.get(f"{CAMUNDA}topic")
        async_before = (self.node.get(f"{CAMUNDA}asyncBefore") or "").strip().lower() == "true"
        return self.spec_class(
            self.spec, self.bpmn_id, topic=topic, async_before=async_before, **self.bpmn_attributes
        )


class UserTaskParser(CamundaUserTaskParser):
    def create_task(self):
        groups = self.node.get(f"{CAMUNDA}candidateGroups") or ""
        candidate_groups = [g.strip() for g in groups.split(",") if g.strip()]
        users = self.node.get(f"{CAMUNDA}candidateUsers") or ""
        return self.spec_class(
            self.spec,
            self.bpmn_id,
            form=self.get_form(),
            candidate_groups=candidate_groups,
            assignee=(self.node.get(f"{CAMUNDA}assignee") or "").strip() or None,
            candidate_users=split_users(users),
            **self.bpmn_attributes,
        )

    def get_form(self):
        # Camunda's "generated task forms" have formData and no formKey: read them anyway.
        if self.node.get(f"{CAMUNDA}formKey") is None and self.xpath(".//camunda:formData"):
            self.node.set(f"{CAMUNDA}formKey", "")
        return super().get_form()


class TriggeredEventSubprocess(EventSubprocess):
    """An event subprocess started by its start event's trigger (error, escalation, message,
    signal, timer) has no incoming connection; SpiffWorkflow's readiness test then refuses to
    finish it ("No input task connected"). Its trigger is its input.

    ``interrupting`` is its start event's ``isInterrupting`` (SpiffWorkflow ignores it;
    ``engine.event_subprocess`` acts on it); None for versions deployed before it was read."""

    def __init__(self, wf_spec, bpmn_id, subworkflow_spec, interrupting=None, **kwargs):
        super().__init__(wf_spec, bpmn_id, subworkflow_spec, **kwargs)
        self.interrupting = interrupting

    def test(self):
        """Nothing to test: the trigger, not a sequence flow, is what starts it."""


class EventAwareSubWorkflowParser(CamundaSubWorkflowParser):
    """Camunda's subprocess parser ignores ``triggeredByEvent``: an event subprocess then ran
    at once as an embedded one. Here it becomes SpiffWorkflow's event subprocess."""

    EVENT_SUBPROCESS_CLASS = TriggeredEventSubprocess

    def create_task(self):
        subworkflow_spec = SubprocessParser.get_subprocess_spec(self)
        if self.node.get("triggeredByEvent") != "true":
            return self.spec_class(
                self.spec, self.bpmn_id, subworkflow_spec=subworkflow_spec, **self.bpmn_attributes
            )
        starts = self.node.findall(f"{{{BPMN_MODEL_NS}}}startEvent")
        interrupting = all(s.get("isInterrupting", "true").strip() != "false" for s in starts)
        return self.EVENT_SUBPROCESS_CLASS(
            self.spec,
            self.bpmn_id,
            subworkflow_spec=subworkflow_spec,
            interrupting=interrupting,
            **self.bpmn_attributes,
        )


class EventSubprocessStartParser(CamundaStartEventParser):
    """SpiffWorkflow's start events read no error or escalation definition; the start event of
    an event subprocess needs them (the error or escalation it waits for)."""

    def create_task(self):
        paths = [
            MESSAGE_EVENT_XPATH,
            SIGNAL_EVENT_XPATH,
            TIMER_EVENT_XPATH,
            CONDITIONAL_EVENT_XPATH,
        ]
        if self.node.getparent().get("triggeredByEvent") == "true":
            paths += [ERROR_EVENT_XPATH, ESCALATION_EVENT_XPATH]
        task = self._create_task(self.get_event_definition(paths))
        self.spec.start.connect(task)
        return task


class LaksanaParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES = with_standard_multi_instance(
        {
            **CamundaParser.OVERRIDE_PARSER_CLASSES,
            full_tag("userTask"): (UserTaskParser, LaksanaUserTask),
            full_tag("serviceTask"): (ServiceTaskParser, ExternalServiceTask),
            full_tag("subProcess"): (EventAwareSubWorkflowParser, CallActivity),
            full_tag("startEvent"): (EventSubprocessStartParser, StartEvent),
            full_tag("callActivity"): (BoundCallActivityParser, BoundCallActivity),
        }
    )

    def add_bpmn_xml_text(self, xml: bytes | str, filename: str) -> None:
        if isinstance(xml, str):
            xml = xml.encode("utf-8")
        tree = etree.fromstring(xml, parser=safe_xml_parser())
        self.add_bpmn_xml(etree.ElementTree(tree), filename=filename)


class ExternalServiceTaskConverter(TaskSpecConverter):
    def to_dict(self, spec):
        dct = self.get_default_attributes(spec)
        dct["topic"] = spec.topic
        dct["async_before"] = spec.async_before
        return dct

    def from_dict(self, dct):
        return self.task_spec_from_dict(dct)


class LaksanaUserTaskConverter(UserTaskConverter):
    def to_dict(self, spec):
        dct = super().to_dict(spec)
        dct["candidate_groups"] = spec.candidate_groups
        dct["assignee"] = getattr(spec, "assignee", None)
        dct["candidate_users"] = list(getattr(spec, "candidate_users", None) or [])
        return dct

    def from_dict(self, dct):
        dct["form"] = Form(init=dct["form"])
        return self.task_spec_from_dict(dct)


class TriggeredEventSubprocessConverter(SubWorkflowConverter):
    def to_dict(self, spec):
        dct = super().to_dict(spec)
        dct["interrupting"] = spec.interrupting
        return dct


def serializer_config() -> dict:
    config = deepcopy(CAMUNDA_CONFIG)
    config.pop(CamundaUserTask, None)
    config[LaksanaUserTask] = LaksanaUserTaskConverter
    config[ExternalServiceTask] = ExternalServiceTaskConverter
    for mi_class in MI_SPEC_CLASSES:
        config[mi_class] = MultiInstanceTaskConverter
    # receive and send tasks are parsed by the BPMN parsers, with the BPMN message definition
    config[BpmnMessageEventDefinition] = DEFAULT_CONFIG[BpmnMessageEventDefinition]
    config[TriggeredEventSubprocess] = TriggeredEventSubprocessConverter
    config[BoundCallActivity] = BoundCallActivityConverter
    return config


__all__ = [
    "ExternalServiceTask",
    "LaksanaParser",
    "LaksanaUserTask",
    "TaskParser",
    "role_code",
    "safe_xml_parser",
    "serializer_config",
]
