"""The warehouse as a plug-in: its topics, its tables in the engine store, ``laksana warehouse``."""

from __future__ import annotations

from engine.plugins import Registration

from . import models, topics
from .cli import warehouse


def register(registration: Registration) -> None:
    registration.topic("warehouse.grant", topics.grant)
    registration.topic("warehouse.aggregate", topics.aggregate)
    registration.tables(models.AccessGrant, models.QueryLog, models.Dataset)
    registration.command(warehouse)
