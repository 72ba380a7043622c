"""The office's registration: ``laksana seed-demo``, ``laksana roles`` and ``laksana users``
(accounts and their API tokens)."""

from __future__ import annotations

from engine.plugins import Registration

from .cli import seed_demo
from .people_cli import USER_COMMANDS, roles
from .users_cli import users


def register(registration: Registration) -> None:
    registration.command(seed_demo)
    registration.command(roles)
    registration.command(users)
    for command in USER_COMMANDS:
        registration.command(command, group="users")
