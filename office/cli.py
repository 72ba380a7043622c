"""``laksana seed-demo``: one demo user per role (username = role code)."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from webkit.current import get_engine

from .roles import seed_demo_users

DEMO_PASSWORD_DEFAULT = "laksana-demo"


@click.command("seed-demo", help="Create one demo user per role (username = role code).")
@click.option("--password", default=None, help="Default: $LAKSANA_DEMO_PASSWORD or 'laksana-demo'.")
@with_appcontext
def seed_demo(password: str | None) -> None:
    password = password or os.environ.get("LAKSANA_DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT
    with get_engine().db.transaction() as session:
        created = seed_demo_users(session, password)
    click.echo(f"demo users created: {', '.join(created) or '(all existed already)'}")
    click.echo(f"password for new demo users: {password}")
