"""``laksana users``: people's accounts from the command line.

The group is shared: this package's account commands (``office.people_cli``) and, on the auth
branch, ``laksana users token ...`` hang on it.
"""

from __future__ import annotations

import click


@click.group("users", help="People's accounts: list, add, edit, deactivate.")
def users() -> None:
    pass
