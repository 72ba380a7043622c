"""Service-task topics: a registry of topic -> Python function.

A diagram's service task says ``camunda:type="external" camunda:topic="..."``.
When the engine reaches it, it calls the handler registered for the topic with
a :class:`ServiceCall`. The handler returns a dict (merged into the task data)
or None. A handler that raises, or a topic with no handler, becomes an
incident on the instance; nothing is lost and the task can be retried.
Handlers run inside the engine action's transaction (``call.session``), so
what they write commits or rolls back together with the instance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from .config import Settings


class ServiceError(Exception):
    """A handler's refusal with a message meant for people (becomes the incident text)."""


@dataclass
class ServiceCall:
    instance_id: int
    process_id: str
    task_id: str
    element_id: str
    element_name: str
    topic: str
    #: a copy of the task's data; the handler's return value is merged into it
    data: dict[str, Any]
    #: the element's camunda:properties (e.g. ``document``, ``recipient_role``)
    properties: dict[str, str]
    session: Session
    settings: Settings
    now: datetime
    #: the user whose action ran the engine to this task (None for timers/retries by the system)
    actor: str | None = None
    #: filled by the engine: lets a handler add audit rows in the same transaction
    audit: Callable[..., None] | None = field(default=None, repr=False)
    #: filled by the engine: who sends the e-mails a handler recorded (``engine.mail``)
    outbox: Outbox | None = field(default=None, repr=False)


Handler = Callable[[ServiceCall], dict[str, Any] | None]
AsyncContinuation = Callable[[Session, int, str], bool]
#: ``fn(session, settings, notification_ids)``: send, or defer the sending of, e-mails recorded in
#: the step's transaction as ``Notification`` rows (``engine.mail``)
Outbox = Callable[[Session, Settings, list[int]], None]
#: ``fn(session, settings, ended) -> bool``: tell the requester of an instance an operator
#: terminated (``engine.termination.Terminated``), in the termination's transaction; True when
#: the instance was the plug-in's to tell (the engine's own e-mail is then not sent)
TerminationNotice = Callable[[Session, Settings, Any], bool]


class ServiceRegistry:
    """Topic -> handler. A handler runs inside a savepoint of the action's transaction, so a
    failure rolls back what it wrote; ``writes=False`` declares one that never touches the
    store (it then runs without the savepoint)."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._pure: set[str] = set()
        #: ``fn(session, instance_id, task_id) -> bool``: defer, in the step's transaction, the job
        #: that runs a ``camunda:asyncBefore`` task (True), or decline (False: it runs inline)
        self.async_continuation: AsyncContinuation | None = None
        #: letter template formats by file suffix (``engine.templates.TemplateFormat``)
        self.template_formats: dict[str, Any] = {}
        #: who sends recorded e-mails (the ``jobs`` plug-in); None: they stay queued in the store
        self.outbox: Outbox | None = None
        #: plug-ins that tell the requesters of their own instances of a termination
        self.termination_notices: list[TerminationNotice] = []
        #: the names a form field's ``picker`` property may take (the pages' pickers, set by the
        #: composition root); empty: not checked at deploy (``engine.form_pickers``)
        self.form_pickers: set[str] = set()

    def register(self, topic: str, handler: Handler | None = None, *, writes: bool = True):
        """``registry.register("x", fn)`` or as a decorator ``@registry.register("x")``."""
        (self._pure.discard if writes else self._pure.add)(topic)
        if handler is not None:
            self._handlers[topic] = handler
            return handler

        def decorate(fn: Handler) -> Handler:
            self._handlers[topic] = fn
            return fn

        return decorate

    def get(self, topic: str) -> Handler | None:
        return self._handlers.get(topic)

    def writes(self, topic: str) -> bool:
        return topic not in self._pure

    def topics(self) -> tuple[str, ...]:
        """Every topic with a handler: what a diagram may name (deploy refuses any other)."""
        return tuple(sorted(self._handlers))
