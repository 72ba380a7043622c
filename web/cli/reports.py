"""`laksana report ...`, `laksana documents`, `laksana document ...` (owned by the reports work)."""

import click


@click.group("report", help="Render official documents as PDF and verify signed ones.")
def report() -> None:
    pass


@click.command("documents", help="List an instance's documents.")
@click.argument("instance_id", type=int)
@click.option("--json", "as_json", is_flag=True)
def documents(instance_id: int, as_json: bool) -> None:
    raise click.ClickException("not built yet")


@click.group("document", help="One archived document.")
def document() -> None:
    pass
