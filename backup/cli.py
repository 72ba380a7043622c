"""``laksana backup create|verify|restore``: one line on error, never a traceback.

The installation is the one the settings name (``LAKSANA_DATABASE_URL``,
``LAKSANA_INSTANCE_DIR``); messages are in Bahasa Indonesia for the office's administrators.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from engine.config import Settings

from . import archive
from .archive import BackupError
from .restore import restore as restore_archive

#: a backup that fails verification exits with this code (1 is click's usage/other error)
EXIT_NOT_VERIFIED = 3


class NotVerified(click.ClickException):
    exit_code = EXIT_NOT_VERIFIED


def default_name(now: datetime | None = None) -> str:
    return f"laksana-{(now or datetime.now(UTC)).strftime('%Y%m%dT%H%M%SZ')}.tar.gz"


def _database_error(exc: SQLAlchemyError) -> str:
    """The driver's first line (e.g. 'database "x" does not exist'), not SQLAlchemy's wrapping."""
    detail = getattr(exc, "orig", None) or exc
    lines = [line for line in str(detail).strip().splitlines() if line.strip()]
    return f"basis data tidak dapat dipakai: {lines[0] if lines else exc.__class__.__name__}"


def _summary(manifest: dict[str, Any]) -> str:
    counts = manifest.get("counts", {})
    revision = manifest.get("store", {}).get("alembic_revision") or "-"
    return (
        f"{counts.get('process_instances', 0)} instance proses, "
        f"{manifest.get('documents', {}).get('count', 0)} dokumen, "
        f"{len(manifest.get('members', []))} berkas, revisi skema {revision}"
    )


@click.group("backup", help="Back up and restore the store, documents, secret key and local PKI.")
def backup() -> None:
    pass


@backup.command("create", help="Write one archive (tar.gz) of this installation.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Archive file, or a folder for laksana-<UTC time>.tar.gz (default: this folder).",
)
@click.option("--verify", "then_verify", is_flag=True, help="Read the archive back and verify it.")
def create(output: Path | None, then_verify: bool) -> None:
    target = output or Path(default_name())
    if target.is_dir():
        target = target / default_name()
    try:
        manifest = archive.create(Settings(), target)
    except BackupError as exc:
        raise click.ClickException(f"cadangan gagal: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cadangan gagal: {exc.strerror}: {exc.filename}") from None
    except SQLAlchemyError as exc:
        raise click.ClickException(f"cadangan gagal: {_database_error(exc)}") from None
    size = target.stat().st_size
    click.echo(f"cadangan dibuat: {target} ({size:,} byte; {_summary(manifest)})")
    damaged = manifest["documents"].get("damaged") or []
    if damaged:
        click.echo(
            f"peringatan: {len(damaged)} dokumen di basis data sudah tidak cocok dengan SHA-256-nya "
            f"(dicadangkan apa adanya): {', '.join(damaged)}",
            err=True,
        )
    if then_verify:
        _verify(target)


def _verify(file: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="laksana-verify-") as work:
        checked = archive.verify(file, Path(work))
    if not checked.ok or checked.manifest is None:
        raise NotVerified(f"cadangan {file} tidak valid: {checked.message()}")
    created = checked.manifest.get("created_at", "-")
    click.echo(f"cadangan utuh: {file} (dibuat {created}; {_summary(checked.manifest)})")


@backup.command("verify", help="Check every member's SHA-256 and that the store dump is readable.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def verify(file: Path) -> None:
    _verify(file)


@backup.command("restore", help="Restore an archive onto this installation (an empty store).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a store that already holds data.")
def restore(file: Path, force: bool) -> None:
    try:
        restored = restore_archive(file, Settings(), force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    except SQLAlchemyError as exc:
        raise click.ClickException(f"pemulihan gagal: {_database_error(exc)}") from None
    click.echo(f"dipulihkan dari {file}: {_summary(restored.manifest)}")
    if restored.upgrade_from:
        click.echo(
            f"skema basis data masih revisi {restored.upgrade_from}: "
            "jalankan `laksana init-db` sebelum aplikasi dinyalakan"
        )
