"""The plug-in contract: what a package that is not the engine declares when the app starts.

A plug-in package (``warehouse``, ``reports``, ``complaints``, ``datarequest``, ...) exposes
``register(registration: Registration) -> None`` and declares there, once, everything it brings:
its service topics, document renderers, tables (and so its migrations), CLI commands, Flask
blueprints (with their templates), background jobs and letter template formats. The composition root (``web.composition``) creates one
``Registration``, calls every plug-in's ``register`` and then builds the engine from it: the set of
topics a diagram may name is exactly what was registered.

A mistake in a registration (a topic or document declared twice, a handler that is not callable,
a plug-in without ``register``) raises :class:`RegistrationError` at start, naming the plug-in,
instead of becoming an incident when an instance first reaches the step.

The engine knows nothing of Flask or click: blueprints and commands are kept here as opaque objects
for the composition root to install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

from .services import (
    AsyncContinuation,
    Handler,
    Outbox,
    ServiceRegistry,
    TerminationNotice,
)
from .templates import TemplateFormat

#: a document renderer: ``fn(call: ServiceCall) -> dict`` (the keys it writes into the task data)
DocumentRenderer = Callable[..., dict[str, Any]]
#: ``fn(engine)``: run once in a background thread when a worker starts (e.g. to warm a converter)
WorkerStart = Callable[[Any], object]
#: a background job: ``fn(call, **args)``; ``call`` is the job engine's context (``jobs.JobCall``)
JobHandler = Callable[..., None]


@dataclass(frozen=True)
class InstancePanel:
    """What a plug-in shows about one instance on its task and instance pages (above the form)."""

    #: a Jinja template of the plug-in's blueprint, rendered with ``panel`` = this object
    template: str
    #: what the template reads (plain values, already cut to what the reader may see)
    context: dict[str, Any] = field(default_factory=dict)
    #: words for the codes in the instance's data: data key -> {code: label}
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: how the pages name the instance (e.g. "Pengaduan P-2026-001"), instead of its number
    title: str | None = None


#: ``fn(engine, instance, reader) -> InstancePanel | None``: None when the instance is not the
#: plug-in's (``reader`` is the signed-in user, with ``roles`` and ``has_any``)
InstancePanelProvider = Callable[..., InstancePanel | None]


@dataclass(frozen=True)
class JobSpec:
    """A background job a plug-in declares; the job engine (``jobs``) runs it, the engine never."""

    name: str
    handler: JobHandler
    #: retried with exponential back-off on any exception (``Settings.job_retries`` times)
    retry: bool = True


class RegistrationError(Exception):
    """A plug-in declared something wrong; the app refuses to start with this message."""


class Plugin(Protocol):
    __name__: str

    def register(self, registration: Registration) -> None: ...


@dataclass
class Registration:
    """What every plug-in declared, filled in by their ``register`` calls."""

    services: ServiceRegistry = field(default_factory=ServiceRegistry)
    documents: dict[str, DocumentRenderer] = field(default_factory=dict)
    #: model classes per plug-in (their tables join the engine's metadata and its migrations)
    models: dict[str, list[type]] = field(default_factory=dict)
    #: (command, group): a click command for ``laksana`` (group None) or for one of its groups
    commands: list[tuple[Any, str | None]] = field(default_factory=list)
    blueprints: list[Any] = field(default_factory=list)
    #: background jobs by name (run by the ``jobs`` plug-in's worker)
    jobs: dict[str, JobSpec] = field(default_factory=dict)
    #: what a worker runs in the background when it starts (``worker_start``)
    worker_starts: list[WorkerStart] = field(default_factory=list)
    #: what plug-ins show about an instance on its task and instance pages
    instance_panels: list[InstancePanelProvider] = field(default_factory=list)
    #: unsigned document kinds a requester may download from the tracking page once the
    #: request is finished (signed documents always may)
    public_document_kinds: set[str] = field(default_factory=set)
    #: who declared what, for messages ("declared twice: by complaints and by reports")
    owners: dict[str, str] = field(default_factory=dict)
    plugins: list[str] = field(default_factory=list)
    _current: str = "engine"

    # ------------------------------------------------------------------ declarations
    def topic(self, name: str, handler: Handler, *, writes: bool = True) -> None:
        """A service topic (``camunda:topic``) and its handler."""
        self._claim(f"topic {name}")
        if not callable(handler):
            raise RegistrationError(
                f"plug-in {self._current}: the handler of topic '{name}' is not callable"
            )
        self.services.register(name, handler, writes=writes)

    def document(self, kind: str, renderer: DocumentRenderer) -> None:
        """A document the ``reports.render`` topic can produce (``document=<kind>``)."""
        self._claim(f"document {kind}")
        if not callable(renderer):
            raise RegistrationError(
                f"plug-in {self._current}: the renderer of document '{kind}' is not callable"
            )
        self.documents[kind] = renderer

    def public_documents(self, *kinds: str) -> None:
        """Unsigned documents of these kinds go to the requester (tracking page downloads)."""
        for kind in kinds:
            if not isinstance(kind, str) or not kind:
                raise RegistrationError(
                    f"plug-in {self._current}: a public document kind must be a non-empty name"
                )
            self.public_document_kinds.add(kind)

    def tables(self, *model_classes: type) -> None:
        """SQLAlchemy models on the engine's ``Base`` (created and migrated with the store)."""
        for model in model_classes:
            if not hasattr(model, "__table__"):
                raise RegistrationError(
                    f"plug-in {self._current}: {model!r} is not a mapped SQLAlchemy model"
                )
            self._claim(f"table {model.__table__.name}")
        self.models.setdefault(self._current, []).extend(model_classes)

    def command(self, command: Any, group: str | None = None) -> None:
        """A click command or group added to ``laksana`` (or to its group ``group``)."""
        name = getattr(command, "name", command)
        self._claim(f"command {group + ' ' if group else ''}{name}")
        self.commands.append((command, group))

    def blueprint(self, blueprint: Any) -> None:
        """A Flask blueprint (its own templates folder); every route declares an access rule."""
        self._claim(f"blueprint {getattr(blueprint, 'name', blueprint)}")
        self.blueprints.append(blueprint)

    def job(self, name: str, handler: JobHandler, *, retry: bool = True) -> None:
        """A background job, deferred by name in a step's transaction and run by a worker."""
        self._claim(f"job {name}")
        if not callable(handler):
            raise RegistrationError(
                f"plug-in {self._current}: the handler of job '{name}' is not callable"
            )
        self.jobs[name] = JobSpec(name, handler, retry)

    def worker_start(self, warm: WorkerStart) -> None:
        """Something a background worker does once when it starts, in a thread of its own and
        without delaying its jobs (a failure is logged, never stops the worker)."""
        if not callable(warm):
            raise RegistrationError(f"plug-in {self._current}: the worker start is not callable")
        self.worker_starts.append(warm)

    def instance_panel(self, provider: InstancePanelProvider) -> None:
        """A panel about the instances the plug-in owns (its register's row, in words)."""
        self._claim(f"instance panel {getattr(provider, '__qualname__', provider)}")
        if not callable(provider):
            raise RegistrationError(f"plug-in {self._current}: the instance panel is not callable")
        self.instance_panels.append(provider)

    def template_format(self, fmt: TemplateFormat) -> None:
        """A letter template format (``.docx``) deployed with diagrams and rendered by a topic."""
        self._claim(f"template format {fmt.suffix}")
        if not callable(fmt.inspect):
            raise RegistrationError(
                f"plug-in {self._current}: the inspector of template format '{fmt.suffix}' "
                "is not callable"
            )
        self.services.template_formats[fmt.suffix.lower()] = fmt

    def async_continuation(self, defer: AsyncContinuation) -> None:
        """Who continues ``camunda:asyncBefore`` service tasks in the background (one plug-in)."""
        self._claim("async continuation")
        if not callable(defer):
            raise RegistrationError(
                f"plug-in {self._current}: the async continuation is not callable"
            )
        self.services.async_continuation = defer

    def outbox(self, send: Outbox) -> None:
        """Who sends the e-mails steps record (``engine.mail``; one plug-in)."""
        self._claim("outbox")
        if not callable(send):
            raise RegistrationError(f"plug-in {self._current}: the outbox is not callable")
        self.services.outbox = send

    def termination_notice(self, tell: TerminationNotice) -> None:
        """Who tells the requester of the plug-in's own instances that an operator terminated
        them (``engine.termination``); several plug-ins may each declare one."""
        if not callable(tell):
            raise RegistrationError(
                f"plug-in {self._current}: the termination notice is not callable"
            )
        self.services.termination_notices.append(tell)

    # ------------------------------------------------------------------ the composition root's side
    def add(self, plugin: ModuleType | Plugin) -> None:
        name = getattr(plugin, "__name__", repr(plugin))
        register = getattr(plugin, "register", None)
        if not callable(register):
            raise RegistrationError(f"plug-in {name} has no register(registration) function")
        if name in self.plugins:
            raise RegistrationError(f"plug-in {name} is registered twice")
        self.plugins.append(name)
        self._current = name
        try:
            register(self)
        finally:
            self._current = "engine"

    def add_all(self, plugins: Iterable[ModuleType | Plugin]) -> Registration:
        for plugin in plugins:
            self.add(plugin)
        return self

    def topics(self) -> tuple[str, ...]:
        return self.services.topics()

    def all_models(self) -> list[type]:
        return [model for models in self.models.values() for model in models]

    def _claim(self, what: str) -> None:
        owner = self.owners.get(what)
        if owner is not None:
            raise RegistrationError(f"{what} is declared twice: by {owner} and by {self._current}")
        self.owners[what] = self._current
