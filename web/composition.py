"""The composition root: settings, database, engine and every plug-in package, put together once.

Every concern that is not the engine is a plug-in (``<package>.plugin.register``) and declares its
topics, documents, tables, commands and blueprints on one :class:`engine.plugins.Registration`.
The app factory (``web.app.create_app``), the CLI (``web.cli``) and the tests build from here;
nothing else wires a handler to a topic. A registration mistake raises
``engine.plugins.RegistrationError`` here, at start.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

import click

import backup.plugin
import complaints.plugin
import datarequest.plugin
import engine.builtins
import jobs.plugin
import office.plugin
import reports.plugin
import warehouse.plugin
from engine.config import Settings
from engine.db import Database
from engine.facade import BpmnEngine
from engine.models import Base
from engine.plugins import Registration, RegistrationError

#: the plug-ins, in the order they register (reports' render topic reads the documents that
#: datarequest declares later: it looks them up when a task runs, not at registration)
PLUGINS: tuple[ModuleType, ...] = (
    engine.builtins,
    jobs.plugin,
    office.plugin,
    warehouse.plugin,
    reports.plugin,
    complaints.plugin,
    datarequest.plugin,
    backup.plugin,
)


def registration(plugins: Iterable[ModuleType] = PLUGINS) -> Registration:
    """Every plug-in's declarations (cheap: no database, no network)."""
    return Registration().add_all(plugins)


def build_engine(
    settings: Settings | None = None,
    database: Database | None = None,
    declared: Registration | None = None,
    **kwargs: Any,
) -> BpmnEngine:
    """The engine with every registered topic; ``kwargs`` go to ``BpmnEngine`` (e.g. ``clock``)."""
    settings = settings or Settings()
    declared = declared or registration()
    database = database or Database(settings.database_url)
    return BpmnEngine(database, declared.services, settings, **kwargs)


def metadata():
    """The store's metadata with every plug-in's tables (for create_all and migrations)."""
    registration()  # importing the plug-ins puts their models on the engine's Base
    return Base.metadata


def install_commands(group: click.Group, declared: Registration) -> None:
    """Add the plug-ins' commands to ``laksana`` (or to the group each names)."""
    for command, parent in declared.commands:
        target = group if parent is None else group.commands.get(parent)
        if not isinstance(target, click.Group):
            raise RegistrationError(
                f"command {command.name}: there is no command group '{parent}' to add it to"
            )
        target.add_command(command)
