"""`laksana warehouse ...` commands (owned by the warehouse work).

build, stats, presets, query and import. URLs come from ``engine.config.Settings``
(``LAKSANA_WAREHOUSE_URL``, ``LAKSANA_DATABASE_URL``). A CLI query runs only
under the grant of a request for the operator named (``--request N --user U``)
or as an administrator's explicit override (``--user ADMIN --admin-override
ALASAN``); every query and refusal is in the engine store's query log.
"""

from __future__ import annotations

import getpass
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from engine.config import Settings
from engine.db import Database
from warehouse.access import AccessRefused, authorize_cli, log_query
from warehouse.build import build_synthetic
from warehouse.export import to_csv, to_xlsx
from warehouse.generator import DEFAULT_SEED
from warehouse.importer import ImportFailed, import_file
from warehouse.periods import Period, PeriodError
from warehouse.presets import PRESETS, preset_list
from warehouse.query import QueryError, run_query
from warehouse.sdc import SdcPolicy
from warehouse.spec import SpecError, parse_spec
from warehouse.store import Warehouse
from warehouse.textable import render_result, render_stats


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@contextmanager
def _friendly_errors(what: str) -> Iterator[None]:
    """Turn expected failures into one line on stderr (click.ClickException)."""
    try:
        yield
    except click.ClickException:
        raise
    except (SpecError, QueryError, PeriodError, ValueError) as exc:
        raise click.ClickException(_first_line(exc)) from None
    except (SQLAlchemyError, OSError, RuntimeError) as exc:
        raise click.ClickException(f"{what}: {_first_line(exc)}") from None


def _open_warehouse(settings: Settings, for_build: bool = False) -> Warehouse:
    with _friendly_errors("Gudang data tidak dapat dibuka"):
        warehouse = Warehouse(settings.warehouse_url)
        warehouse.ensure_schema(rebuild_outdated=for_build)
        return warehouse


def _echo_json(document: Any) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@click.group("warehouse", help="Population data warehouse: build, stats, presets, query, import.")
def warehouse() -> None:
    pass


def _period_option(default: str | None) -> Callable:
    return click.option(
        "--period",
        default=default,
        show_default=bool(default),
        help="DKB period, e.g. 2026-1 (Semester I 2026).",
    )


@warehouse.command("build", help="Generate the synthetic population of the regency and load it.")
@click.option(
    "--scale", type=float, default=1.0, show_default=True, help="1.0 = 1,071,977 persons."
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True)
@_period_option("2026-1")
@click.option("--if-missing", is_flag=True, help="Do nothing when the warehouse already has data.")
def build(scale: float, seed: int, period: str, if_missing: bool) -> None:
    settings = Settings()
    store = _open_warehouse(settings, for_build=True)
    with _friendly_errors("Gagal membangun gudang data"):
        if if_missing and store.has_data():
            click.echo(f"Gudang data sudah berisi periode {store.latest_period()}; build dilewati.")
            return
        if scale <= 0:
            raise click.ClickException("--scale: harus lebih besar dari 0")
        summary = build_synthetic(store, scale=scale, seed=seed, period=period, progress=True)
    click.echo(
        f"Gudang data {settings.warehouse_url}: {summary['persons']:,} penduduk, {summary['families']:,} KK, "
        f"{summary['period']['label']} ({summary['seconds']} s)."
    )


@warehouse.command("stats", help="Counts of persons and families, per kecamatan.")
@_period_option(None)
@click.option("--json", "as_json", is_flag=True)
def stats(period: str | None, as_json: bool) -> None:
    store = _open_warehouse(Settings())
    with _friendly_errors("Gagal membaca gudang data"):
        if period:
            Period.parse(period)
        document = store.stats(period)
    if as_json:
        _echo_json(document)
    else:
        click.echo(render_stats(document))


@warehouse.command("presets", help="The standard DAK tables a request can name.")
@click.option("--json", "as_json", is_flag=True)
def presets(as_json: bool) -> None:
    if as_json:
        _echo_json(preset_list())
        return
    for item in preset_list():
        click.echo(f"{item['name']:<22} {item['label']}  {json.dumps(item['spec'])}")


def _spec_input(preset: str | None, spec_text: str | None, scope, level, period) -> dict[str, Any]:
    if bool(preset) == bool(spec_text):
        raise click.ClickException("give exactly one of --preset NAME or --spec JSON")
    if preset and preset not in PRESETS:
        raise click.ClickException(
            f"--preset: '{preset}' tidak dikenal; lihat `laksana warehouse presets`"
        )
    try:
        raw = {"preset": preset} if preset else json.loads(spec_text)
    except ValueError as exc:
        raise click.ClickException(f"--spec: bukan JSON yang sah ({exc})") from None
    if not isinstance(raw, dict):
        raise click.ClickException("--spec: harus berupa objek JSON")
    overrides = {"scope": scope, "row_level": level, "period": period}
    return raw | {key: value for key, value in overrides.items() if value}


@contextmanager
def _engine_store(settings: Settings) -> Iterator[Any]:
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            yield session
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"Log kueri tidak dapat dibuka (jalankan `laksana init-db` lebih dulu?): {_first_line(exc)}"
        ) from None
    finally:
        database.dispose()


def _authorized(settings: Settings, request, user, reason, spec) -> tuple[str, str]:
    """(username, override message) after the grant check; refusals end the command."""
    try:
        with _engine_store(settings) as session:
            return authorize_cli(
                session,
                instance_id=request,
                username=user,
                admin_reason=reason,
                spec=spec,
                os_user=f"cli:{getpass.getuser()}",
                now=datetime.now(timezone.utc),
            )
    except AccessRefused as exc:
        raise click.ClickException(str(exc)) from None


@warehouse.command("query", help="Run an aggregate query (a preset or a JSON spec).")
@click.option("--preset", help="A preset name (see `laksana warehouse presets`).")
@click.option("--spec", "spec_text", help="A JSON spec.")
@click.option(
    "--scope", help="Region code: 33.04, a kecamatan (33.04.06) or a desa (33.04.06.1001)."
)
@click.option("--level", type=click.Choice(["kecamatan", "desa"]), help="Row level.")
@_period_option(None)
@click.option("--request", type=int, help="The request (process instance) whose grant is used.")
@click.option("--user", help="The operator the grant names (or the administrator overriding).")
@click.option(
    "--admin-override",
    "reason",
    metavar="ALASAN",
    help="Run without a grant as the administrator --user; the reason is logged.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result JSON.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a CSV file.",
)
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write an XLSX file.",
)
def query(
    preset, spec_text, scope, level, period, request, user, reason, as_json, csv_path, xlsx_path
) -> None:
    settings = Settings()
    raw = _spec_input(preset, spec_text, scope, level, period)
    with _friendly_errors("Kueri gagal"):
        spec = parse_spec(raw)
    username, override = _authorized(settings, request, user, reason, spec.as_dict())
    store = _open_warehouse(settings)
    with _friendly_errors("Kueri gagal"):
        started = time.perf_counter()
        result = run_query(store, spec, SdcPolicy.from_settings(settings))
        elapsed = (time.perf_counter() - started) * 1000
    with _engine_store(settings) as session:
        log_query(
            session,
            username=username,
            instance_id=request,
            spec=spec.as_dict() | {"period": result["period"]["code"]},
            outcome="override" if override else "ok",
            message=override,
            rows=len(result["rows"]),
            milliseconds=elapsed,
        )
    with _friendly_errors("Berkas tidak dapat ditulis"):
        if csv_path:
            csv_path.write_bytes(to_csv(result))
        if xlsx_path:
            xlsx_path.write_bytes(to_xlsx(result))
    if as_json:
        _echo_json(result)
    else:
        click.echo(render_result(result))


@warehouse.command("import", help="Load real person data from a CSV file (all rows checked first).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_period_option("2026-1")
def import_command(file: Path, period: str) -> None:
    store = _open_warehouse(Settings())
    with _friendly_errors("Impor gagal"):
        Period.parse(period)
        try:
            summary = import_file(store, file, period)
        except ImportFailed as exc:
            for line in exc.errors:
                click.echo(line)
            raise click.ClickException(f"{file.name}: {exc}") from None
    click.echo(
        f"Dimuat: {summary['persons']:,} penduduk, {summary['families']:,} KK, {summary['period']['label']}."
    )
