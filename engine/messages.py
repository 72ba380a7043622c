"""Messages from outside an instance: routed to the instances waiting for them.

SpiffWorkflow correlates messages within one instance only (a throw event
reaching a catch event of the same instance works by itself). A message from
outside — a citizen's reply, another office's answer — is delivered here: to
every running instance whose waiting message catch event, receive task or
event-based gateway branch has that message name, or only to the instance whose
business key is the correlation key when one is given. The payload (a JSON
object) is merged into the data at the catching element (and also kept under the
message's name), the instance runs on, and the audit log records
``message_caught``.

A message also starts the event subprocesses whose message start event waits for it, at any
depth: of the process, of a running embedded subprocess, of a process a running call activity
called. SpiffWorkflow starts only the top process's (``EventManager.update_collaboration``);
here each running, uninterrupted (sub)process is a scope whose start task's triggers are
looked at. Once that subprocess has ended, its event subprocesses wait no more. Which
instances may wait is read from the version's specs (``awaited_messages``), so the messages of
a process called from another diagram count.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from sqlalchemy import select

from .clock import spiff_time
from .errors import EngineError
from .event_subprocess import interrupted
from .models import ProcessDefinition, ProcessInstance
from .parser import safe_xml_parser
from .runner import StepRunner, audit

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


#: process spec -> names of the messages its version catches (``awaited_messages``)
_AWAITED: WeakKeyDictionary = WeakKeyDictionary()


def _inner(definition) -> list:
    """The definitions a task waits with: its own, or each of a multiple one's (an event-based
    gateway holds each branch's)."""
    if isinstance(definition, MultipleEventDefinition):
        return list(definition.event_definitions)
    return [definition]


def _message_names(definition) -> set[str]:
    return {d.name for d in _inner(definition) if isinstance(d, MessageEventDefinition)}


def awaited_messages(spec, subprocess_specs: dict) -> frozenset[str]:
    """Names of the messages a deployed version's events, receive tasks and event subprocess
    start events use, at any depth: its embedded subprocesses and the processes its call
    activities call (from other diagrams too) are among ``subprocess_specs``."""
    names = _AWAITED.get(spec)
    if names is None:
        found: set[str] = set()
        for process in (spec, *subprocess_specs.values()):
            for task_spec in process.task_specs.values():
                definition = getattr(task_spec, "event_definition", None)
                if definition is not None:
                    found |= _message_names(definition)
        names = _AWAITED[spec] = frozenset(found)
    return names


def _message_definition(task, name: str) -> MessageEventDefinition | None:
    """The definition of message ``name`` the task waits with: its own, or for an event-based
    gateway (one definition holding each branch's) the branch's."""
    for item in _inner(getattr(task.task_spec, "event_definition", None)):
        if isinstance(item, MessageEventDefinition) and item.name == name:
            return item
    return None


def _waiting_for(workflow, name: str) -> list:
    """The tasks waiting for message ``name``: SpiffWorkflow keeps every waiting task, those of
    subprocesses included, in the top workflow's event manager (a subprocess has none)."""
    return [
        task
        for task in workflow.event_manager.tasks.values()
        if _message_definition(task, name) is not None
    ]


def _deliver(task, name: str, payload: dict) -> None:
    definition = _message_definition(task, name)
    task.data.update(payload)
    if hasattr(definition, "result_var"):  # Camunda's message: the payload under a variable
        event = BpmnEvent(definition, payload={"payload": payload, "result_var": name})
    else:
        event = BpmnEvent(definition, payload=dict(payload))
    task.task_spec.event_definition.catch(task, event)  # a gateway notes which branch caught it
    task.task_spec._update(task)


def _candidate_ids(engine, session, name: str, correlation_key: str | None) -> list[int]:
    query = (
        select(ProcessInstance.id, ProcessInstance.definition_id)
        .where(ProcessInstance.status.in_(("running", "incident")))
        .order_by(ProcessInstance.id)
    )
    if correlation_key is not None:
        query = query.where(ProcessInstance.business_key == correlation_key)
    rows = session.execute(query).all()
    specs = {did: engine.definitions.spec(session, did) for did in {did for _, did in rows}}
    return [iid for iid, did in rows if name in awaited_messages(*specs[did])]


def _listening_scopes(workflow) -> list:
    """The process and each running subprocess (embedded, or a called process) whose event
    subprocesses a message may start now: not finished, and not interrupted by one of its own
    interrupting event subprocesses."""
    scopes = [workflow, *(sp for sp in workflow.subprocesses.values() if not sp.completed)]
    return [scope for scope in scopes if not interrupted(scope)]


def _triggers(workflow, name: str) -> list[tuple]:
    """(scope, event subprocess spec name) for each event subprocess whose message
    start event waits for ``name`` in a listening scope. SpiffWorkflow keeps those as triggers of
    their scope's start task, not in the event manager, and starts only the top process's."""
    found = []
    for scope in _listening_scopes(workflow):
        for spec_name in scope.spec.start.trigger_specs:
            sp_spec = workflow.subprocess_specs.get(spec_name)
            for start in getattr(sp_spec, "bpmn_start_events", ()):
                definition = start.event_definition
                if isinstance(definition, MessageEventDefinition) and definition.name == name:
                    found.append((scope, spec_name))
    return found


def _start_event_subprocesses(triggers: list[tuple]) -> None:
    """Add each triggered event subprocess to its scope, as SpiffWorkflow's
    ``EventManager.update_collaboration`` does for the top process: its start event then waits
    in the event manager for the message."""
    for scope, spec_name in triggers:
        scope.spec.start.trigger_wf(scope.task_tree, spec_name)


@lru_cache(maxsize=256)
def message_starts(xml: str) -> dict[str, frozenset[str]]:
    """Message name -> ids of the diagram's processes whose own start event waits for it."""
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    names = {m.get("id"): m.get("name") or m.get("id") for m in root.iter(f"{BPMN}message")}
    found: dict[str, set[str]] = {}
    for process in root.iter(f"{BPMN}process"):
        for start in process.findall(f"{BPMN}startEvent"):
            for definition in start.findall(f"{BPMN}messageEventDefinition"):
                name = names.get(definition.get("messageRef"))
                if name:
                    found.setdefault(name, set()).add(process.get("id"))
    return {name: frozenset(ids) for name, ids in found.items()}


def _started_by(session, name: str) -> list[str]:
    """Process ids whose latest version starts with message ``name``."""
    latest: dict[str, str] = {}
    query = select(ProcessDefinition.process_id, ProcessDefinition.bpmn_xml).order_by(
        ProcessDefinition.version
    )
    for process_id, xml in session.execute(query):
        latest[process_id] = xml
    return sorted(pid for pid, xml in latest.items() if pid in message_starts(xml).get(name, ()))


def _deliver_to(engine, instance_id: int, name: str, payload: dict, user, now) -> bool:
    """Deliver the message to one instance in its own transaction; False if it does not wait."""
    with engine.db.transaction() as session:
        row = engine._instance_row(session, instance_id)
        workflow = engine.instances.load(session, row)
        waiting = _waiting_for(workflow, name)
        triggers = [] if waiting else _triggers(workflow, name)
        if not waiting and not triggers:
            engine.instances.remember(row, workflow)
            return False
        runner = StepRunner(session, row, workflow, engine.services, engine.settings, user, now)
        with spiff_time(now):  # a gateway's timer branch is checked against the engine's time
            if triggers:
                _start_event_subprocesses(triggers)
                waiting = _waiting_for(workflow, name)
            for task in waiting:
                _deliver(task, name, payload)
                audit(
                    session,
                    row,
                    "message_caught",
                    actor=user,
                    at=now,
                    task=task,
                    data={"message": name, **payload},
                )
        runner.run()
        engine._save(session, row, workflow, now, user)
    engine.instances.remember(row, workflow)
    return True


def correlate_message(
    engine,
    name: str,
    payload: dict[str, Any] | None = None,
    correlation_key: str | None = None,
    user: str | None = None,
) -> list[int]:
    """Deliver message ``name`` to the waiting instance(s); returns the ids that caught it.
    When none waits, each process whose start event waits for it starts a new instance (its
    business key the correlation key) that catches it."""
    payload = engine._checked_start_data(payload)
    if not name:
        raise EngineError("nama pesan wajib diisi")
    now = engine.clock()
    with engine.db.Session() as session:
        candidates = _candidate_ids(engine, session, name, correlation_key)
    caught = [i for i in candidates if _deliver_to(engine, i, name, payload, user, now)]
    if caught:
        return caught
    with engine.db.Session() as session:
        starting = _started_by(session, name)
    for process_id in starting:
        instance = engine.start(process_id, payload, user, correlation_key)
        if _deliver_to(engine, instance.id, name, payload, user, now):
            caught.append(instance.id)
    return caught
