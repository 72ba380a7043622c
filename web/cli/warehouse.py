"""`laksana warehouse ...` commands (owned by the warehouse work)."""

import click


@click.group("warehouse", help="Population data warehouse: build, stats, presets, query, import.")
def warehouse() -> None:
    pass
