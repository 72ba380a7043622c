"""The office's registration: ``laksana seed-demo`` and ``laksana users`` (API tokens)."""

from __future__ import annotations

from engine.plugins import Registration

from .cli import seed_demo
from .users_cli import users


def register(registration: Registration) -> None:
    registration.command(seed_demo)
    registration.command(users)
