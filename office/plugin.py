"""The office's registration: ``laksana seed-demo``."""

from __future__ import annotations

from engine.plugins import Registration

from .cli import seed_demo


def register(registration: Registration) -> None:
    registration.command(seed_demo)
