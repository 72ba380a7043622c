"""`laksana report ...`, `laksana documents`, `laksana document ...` (owned by the reports work).

Errors are one line on stderr and a non-zero exit (click.ClickException), never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.db import Database
from engine.models import Document, ProcessInstance

#: verification failures exit with this code (1 is click's usage/other error)
EXIT_NOT_VERIFIED = 3


def _one_line_errors(command: Callable) -> Callable:
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 (one line for people, LAKSANA_DEBUG for a traceback)
            if os.environ.get("LAKSANA_DEBUG"):
                raise
            raise click.ClickException(_one_line(exc)) from None

    return wrapper


def _one_line(exc: Exception) -> str:
    if isinstance(exc, DBAPIError):
        detail = str(exc.orig).splitlines()[0] if exc.orig is not None else ""
        if "no such table" in detail or "does not exist" in detail:
            return "the engine store has no tables yet: run `laksana init-db` first"
        return f"database error: {detail}"
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{exc.__class__.__name__}: {first}" if first else exc.__class__.__name__


@contextmanager
def _store() -> Iterator[tuple[Settings, Session]]:
    settings = Settings()
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            yield settings, session
    finally:
        database.dispose()


def _write(output: Path, content: bytes) -> None:
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"{output} ({len(content):,} bytes)")


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(
            f"{option} must be a date like 2026-07-01, not {value!r}"
        ) from None


def _date_range(date_from: str, date_to: str) -> tuple[date, date]:
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    if end < start:
        raise click.ClickException("--to is before --from")
    return start, end


OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the file.",
)


@click.group("report", help="Render official documents as PDF and verify signed ones.")
def report() -> None:
    pass


@report.command(
    "pki",
    help="Make sure the office can sign: the configured certificate, or a local CA made once.",
)
@_one_line_errors
def pki() -> None:
    from reports.pki import SigningConfigurationError
    from reports.signing import ensure_office_certificate, signer_name

    try:
        paths = ensure_office_certificate(Settings())
    except SigningConfigurationError as exc:
        raise click.ClickException(str(exc)) from None
    origin = (
        "local office CA (demo; configure LAKSANA_SIGNING_KEY/CERT for a real one)"
        if paths.generated
        else "configured certificate"
    )
    click.echo(f"signing key: {paths.key}")
    click.echo(f"certificate: {paths.cert or paths.key} ({origin})")
    click.echo(f"signer: {signer_name(paths)}")


@report.command("sop", help="The SOP document (Permenpan-RB format) of a BPMN diagram.")
@click.argument("bpmn_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@OUTPUT
@_one_line_errors
def sop(bpmn_file: Path, output: Path) -> None:
    from reports.bpmn_sop import SopParseError
    from reports.sop_document import render_bpmn

    try:
        pdf = render_bpmn(bpmn_file.read_bytes())
    except SopParseError as exc:
        raise click.ClickException(f"{bpmn_file}: {exc}") from None
    _write(output, pdf)


@report.command(
    "history", help="The history of one instance: timeline, actual vs standard minutes, incidents."
)
@click.argument("instance_id", type=int)
@OUTPUT
@_one_line_errors
def history(instance_id: int, output: Path) -> None:
    from reports.history import history_pdf

    settings = Settings()
    database = Database(settings.database_url)
    try:
        pdf = history_pdf(database, instance_id)
    finally:
        database.dispose()
    if pdf is None:
        raise click.ClickException(f"no instance {instance_id}")
    _write(output, pdf)


@report.command(
    "verify", help="Check a signed PDF: its signature and that the archive holds it unchanged."
)
@click.argument("pdf_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_one_line_errors
def verify(pdf_file: Path) -> None:
    from reports.formatting import tanggal_jam
    from reports.topics import verify_document

    with _store() as (settings, session):
        result = verify_document(session, settings, pdf_file.read_bytes())
    if not result.ok:
        click.echo(f"FAILED: {result.message}", err=True)
        raise SystemExit(EXIT_NOT_VERIFIED)
    click.echo(f"signer: {result.signer}")
    click.echo(f"signed at: {tanggal_jam(result.signed_at)}")
    click.echo(
        f"document: {result.document_id} ({result.document_kind}, {result.document_number or '-'})"
    )
    click.echo(f"sha256: {result.sha256}")
    click.echo("OK")


@report.command(
    "agenda", help="An extract of the incoming-letter register (buku agenda) for a date range."
)
@click.option("--from", "date_from", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", required=True, help="Last day (YYYY-MM-DD).")
@OUTPUT
@_one_line_errors
def agenda(date_from: str, date_to: str, output: Path) -> None:
    from reports import buku_agenda, gather

    start, end = _date_range(date_from, date_to)
    with _store() as (_settings, session):
        entries = gather.agenda_entries(session, start, end)
    _write(output, buku_agenda.render(entries, start, end))


def _document_row(doc: Document) -> dict:
    return {
        "id": doc.id,
        "kind": doc.kind,
        "title": doc.title,
        "number": doc.number,
        "filename": doc.filename,
        "sha256": doc.sha256,
        "signed": doc.signed,
        "signer": doc.signer,
        "supersedes": doc.supersedes,
        "created": doc.created_at.isoformat() if doc.created_at else None,
        "size": doc.size,
    }


@click.command("documents", help="List an instance's documents.")
@click.argument("instance_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@_one_line_errors
def documents(instance_id: int, as_json: bool) -> None:
    from reports.gather import documents_of

    with _store() as (_settings, session):
        if session.get(ProcessInstance, instance_id) is None:
            raise click.ClickException(f"no instance {instance_id}")
        rows = [_document_row(doc) for doc in documents_of(session, instance_id)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"instance {instance_id} has no documents")
        return
    click.echo(f"{'id':36}  {'kind':20}  {'signed':6}  {'created':19}  sha256")
    for row in rows:
        click.echo(
            f"{row['id']:36}  {row['kind']:20}  {'yes' if row['signed'] else 'no':6}  "
            f"{(row['created'] or '')[:19]:19}  {row['sha256']}"
        )


@click.group("document", help="One archived document.")
def document() -> None:
    pass


@document.command("export", help="Write an archived document's bytes to a file.")
@click.argument("document_id")
@OUTPUT
@_one_line_errors
def export(document_id: str, output: Path) -> None:
    with _store() as (_settings, session):
        doc = session.get(Document, document_id)
        if doc is None:
            raise click.ClickException(f"no document {document_id}")
        content = doc.content
    _write(output, content)
