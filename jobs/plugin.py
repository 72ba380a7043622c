"""The job engine as a plug-in: ``laksana worker``. Jobs themselves are declared by the plug-ins
that own them (``registration.job``); this package runs them."""

from __future__ import annotations

from engine.plugins import Registration

from .cli import worker


def register(registration: Registration) -> None:
    registration.command(worker)
