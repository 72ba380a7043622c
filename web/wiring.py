"""The one place where the engine is put together: store, parser, script engine, topic handlers."""

from __future__ import annotations

import importlib
import logging

from engine.builtins import register_builtins
from engine.config import Settings
from engine.db import Database
from engine.facade import BpmnEngine
from engine.services import ServiceRegistry

log = logging.getLogger(__name__)

#: topic -> "module:function" of the handlers that live outside the engine
EXTERNAL_HANDLERS = {
    "warehouse.grant": "warehouse.service:grant",
    "warehouse.aggregate": "warehouse.service:aggregate",
    "reports.render": "reports.service:render",
    "reports.sign": "reports.service:sign",
    "complaints.log": "complaints.service:log_step",
}


def build_registry() -> ServiceRegistry:
    registry = register_builtins(ServiceRegistry())
    for topic, target in EXTERNAL_HANDLERS.items():
        module_name, function_name = target.split(":")
        try:
            handler = getattr(importlib.import_module(module_name), function_name)
        except (ImportError, AttributeError) as exc:
            log.info(
                "no handler for %s yet (%s); instances will stop at an incident there", topic, exc
            )
            continue
        registry.register(topic, handler)
    return registry


def build_engine(
    settings: Settings | None = None,
    database: Database | None = None,
    registry: ServiceRegistry | None = None,
    **kwargs,
) -> BpmnEngine:
    settings = settings or Settings()
    database = database or Database(settings.database_url)
    return BpmnEngine(database, registry or build_registry(), settings, **kwargs)
