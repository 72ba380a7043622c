"""``laksana report log-pengaduan``: the complaint log book as a PDF, from the register.

Declared by ``complaints.plugin`` into the ``report`` group that ``reports`` registers, so the
reports package never imports the complaint register.
"""

from __future__ import annotations

from pathlib import Path

import click

from reports import log_pengaduan as renderer
from reports.cli import OUTPUT, _date_range, _one_line_errors, _store, _write

from .export import log_entries


@click.command("log-pengaduan", help="The complaint log book for a date range.")
@click.option("--from", "date_from", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", required=True, help="Last day (YYYY-MM-DD).")
@OUTPUT
@_one_line_errors
def log_pengaduan(date_from: str, date_to: str, output: Path) -> None:
    start, end = _date_range(date_from, date_to)
    with _store() as (_settings, session):
        entries = log_entries(session, start, end)
    _write(output, renderer.render(entries, start, end))
