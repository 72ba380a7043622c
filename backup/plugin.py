"""Backups as a plug-in: the ``laksana backup`` command group."""

from __future__ import annotations

from engine.plugins import Registration

from .cli import backup


def register(registration: Registration) -> None:
    registration.command(backup)
