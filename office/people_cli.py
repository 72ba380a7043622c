"""``laksana roles list|add|edit|deactivate|seed`` and ``laksana users list|add|edit|deactivate``.

Roles are data (``engine.roles``): ``roles seed`` writes the office's own list (``office.roles``),
which ``laksana deploy`` of the office's diagrams needs first. A new account without
``--password-stdin`` gets a generated password, printed once.
"""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import with_appcontext

from engine.accounts import AccountChange
from engine.errors import EngineError
from webkit.current import get_engine

from .roles import BIDANG, ROLES

MIN_PASSWORD = 10


@click.group("roles", help="Roles people hold and diagrams name (code, name, bidang).")
def roles() -> None:
    pass


@roles.command("list", help="List the roles (inactive ones marked).")
@with_appcontext
def list_roles() -> None:
    for role in get_engine().accounts.roles.list():
        state = "aktif" if role.active else "nonaktif"
        head = "\tkepala bidang" if role.heads_bidang else ""
        click.echo(f"{role.code}\t{role.name}\t{role.bidang or '-'}\t{state}{head}")


@roles.command("add", help="Add a role: CODE (as diagrams name it) and its name.")
@click.argument("code")
@click.option("--name", required=True, help="The name people read (Bahasa Indonesia).")
@click.option("--bidang", default="", help="The bidang it belongs to.")
@click.option(
    "--kepala-bidang", is_flag=True, help="The role heads its bidang (reassigns its open tasks)."
)
@with_appcontext
def add_role(code: str, name: str, bidang: str, kepala_bidang: bool) -> None:
    role = get_engine().accounts.roles.add(code, name, bidang, kepala_bidang)
    click.echo(f"peran {role.code} dibuat: {role.name}")


@roles.command("edit", help="Change a role's name or bidang (or make it active again).")
@click.argument("code")
@click.option("--name", default=None)
@click.option("--bidang", default=None)
@click.option("--activate", is_flag=True, help="Make an inactive role active again.")
@click.option(
    "--kepala-bidang/--bukan-kepala-bidang",
    default=None,
    help="Whether the role heads its bidang (reassigns its open tasks).",
)
@with_appcontext
def edit_role(
    code: str, name: str | None, bidang: str | None, activate: bool, kepala_bidang: bool | None
) -> None:
    role = get_engine().accounts.roles.edit(
        code, name, bidang, True if activate else None, kepala_bidang
    )
    click.echo(f"peran {role.code} diperbarui: {role.name}")


@roles.command("deactivate", help="Stop giving a role to people (diagrams and history keep it).")
@click.argument("code")
@with_appcontext
def deactivate_role(code: str) -> None:
    role = get_engine().accounts.roles.deactivate(code)
    click.echo(f"peran {role.code} dinonaktifkan")


@roles.command("seed", help="Write the office's roles (those missing); run before deploy.")
@with_appcontext
def seed_roles() -> None:
    added = get_engine().accounts.roles.ensure(
        [(code, name, BIDANG.get(code, "")) for code, name in ROLES.items()]
    )
    click.echo(f"peran dibuat: {', '.join(added) or '(semua sudah ada)'}")


def _password_from_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise EngineError(f"kata sandi dari stdin paling sedikit {MIN_PASSWORD} karakter")
    return password


@click.command("list", help="List the accounts with their roles.")
@with_appcontext
def list_users() -> None:
    for account in get_engine().accounts.list():
        state = "aktif" if account.active else "nonaktif"
        click.echo(f"{account.username}\t{account.full_name}\t{','.join(account.roles)}\t{state}")


@click.command("add", help="Add an account; without --password-stdin a password is generated.")
@click.argument("username")
@click.option("--role", "role_codes", multiple=True, required=True, help="A role code (repeat).")
@click.option("--name", default="", help="Full name (default: the username).")
@click.option("--position", default="", help="Jabatan.")
@click.option("--email", default="")
@click.option("--nip", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first stdin line.")
@with_appcontext
def add_user(
    username: str,
    role_codes: tuple[str, ...],
    name: str,
    position: str,
    email: str,
    nip: str,
    password_stdin: bool,
) -> None:
    password = _password_from_stdin() if password_stdin else secrets.token_urlsafe(12)
    change = AccountChange(name or username, position, nip, email, list(role_codes), True, password)
    account = get_engine().accounts.create(username.strip().lower(), change)
    click.echo(f"pengguna {account.username} dibuat ({', '.join(account.roles)})")
    if not password_stdin:
        click.echo(f"kata sandi awal (ditampilkan sekali ini): {password}")


@click.command("edit", help="Change an account; --role replaces its roles.")
@click.argument("username")
@click.option(
    "--role", "role_codes", multiple=True, help="A role code (repeat); replaces the roles."
)
@click.option("--name", default=None)
@click.option("--position", default=None)
@click.option("--email", default=None)
@click.option("--nip", default=None)
@click.option("--activate", is_flag=True, help="Make an inactive account active again.")
@click.option("--password-stdin", is_flag=True, help="Set the password from the first stdin line.")
@with_appcontext
def edit_user(
    username: str,
    role_codes: tuple[str, ...],
    name: str | None,
    position: str | None,
    email: str | None,
    nip: str | None,
    activate: bool,
    password_stdin: bool,
) -> None:
    accounts = get_engine().accounts
    account = accounts.by_username(username)
    if account is None:
        raise EngineError(f"pengguna '{username}' tidak ada")
    change = AccountChange(
        full_name=account.full_name if name is None else name,
        position=account.position if position is None else position,
        nip=account.nip if nip is None else nip,
        email=account.email if email is None else email,
        roles=list(role_codes) or list(account.roles),
        active=True if activate else account.active,
        password=_password_from_stdin() if password_stdin else "",
    )
    updated = accounts.update(account.id, change)
    click.echo(f"pengguna {updated.username} diperbarui ({', '.join(updated.roles)})")


@click.command("deactivate", help="Deactivate an account (it can no longer sign in or act).")
@click.argument("username")
@with_appcontext
def deactivate_user(username: str) -> None:
    accounts = get_engine().accounts
    account = accounts.by_username(username)
    if account is None:
        raise EngineError(f"pengguna '{username}' tidak ada")
    change = AccountChange(
        account.full_name, account.position, account.nip, account.email, list(account.roles), False
    )
    accounts.update(account.id, change)
    click.echo(f"pengguna {account.username} dinonaktifkan")


USER_COMMANDS = (list_users, add_user, edit_user, deactivate_user)
