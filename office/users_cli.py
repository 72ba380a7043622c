"""``laksana users``: people's accounts from the command line, and their personal API tokens.

The group is shared: the account commands (``office.people_cli``: list, add, edit, deactivate)
hang on it, and ``laksana users token create|list|revoke`` is here. For the administrator who
sets up a script's access (the owner can do the same on the page "Token API"), a token is
printed once; the store keeps only its SHA-256.
"""

from __future__ import annotations

import click

from engine.api_tokens import MAX_EXPIRES_DAYS
from webkit.current import get_engine


@click.group("users", help="People's accounts: list, add, edit, deactivate; personal API tokens.")
def users() -> None:
    pass


@users.group("token", help="Personal API tokens (Authorization: Bearer <token>).")
def token() -> None:
    pass


@token.command("create", help="Make a token for USERNAME and print it (shown only this once).")
@click.argument("username")
@click.option("--name", default="", help="What the token is for (shown in lists).")
@click.option(
    "--expires-days",
    type=click.IntRange(1, MAX_EXPIRES_DAYS),
    default=None,
    help="Valid for this many days (default: until revoked).",
)
def create(username: str, name: str, expires_days: int | None) -> None:
    secret, info = get_engine().tokens.create(username, name, expires_days)
    until = f"sampai {info.expires_at:%Y-%m-%d %H:%M} UTC" if info.expires_at else "sampai dicabut"
    click.echo(
        f"token {info.id} untuk {info.username} ({info.name or 'tanpa nama'}), berlaku {until}:"
    )
    click.echo(secret)
    click.echo("Simpan sekarang: token ini tidak ditampilkan lagi.", err=True)


@token.command("list", help="List tokens (all, or USERNAME's); never the tokens themselves.")
@click.argument("username", required=False)
def list_tokens(username: str | None) -> None:
    engine = get_engine()
    found = engine.tokens.list(username)
    if not found:
        click.echo("(tidak ada token)")
        return
    now = engine.clock()
    for info in found:
        expires = f"{info.expires_at:%Y-%m-%d}" if info.expires_at else "-"
        used = f"{info.last_used_at:%Y-%m-%d %H:%M}" if info.last_used_at else "-"
        click.echo(
            f"{info.id}  {info.username}  {info.hint}…  {info.state(now)}  berlaku sampai {expires}  "
            f"terakhir dipakai {used}  {info.name or '-'}"
        )


@token.command("revoke", help="Revoke token ID (it stops working at once).")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    info = get_engine().tokens.revoke(token_id)
    click.echo(f"token {info.id} milik {info.username} ({info.hint}…) sudah dicabut")
