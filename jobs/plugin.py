"""The job engine as a plug-in: ``laksana worker`` and the continuation of ``camunda:asyncBefore``
service tasks. Other jobs are declared by the plug-ins that own them (``registration.job``); this
package runs them."""

from __future__ import annotations

from engine.plugins import Registration

from .cli import worker
from .continuation import defer_continuation


def register(registration: Registration) -> None:
    registration.command(worker)
    registration.async_continuation(defer_continuation)
